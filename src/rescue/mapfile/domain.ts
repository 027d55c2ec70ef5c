// The rescue domain: the sorted, non-overlapping byte ranges a rescue may touch
// (the whole source by default; only the finished blocks of a `--domain` map otherwise).
// Work is found by intersecting the map's extents of some statuses with the domain.
// Range lookups are binary searches, so a domain of 100 000 ranges costs O(log n) per read.
import { statusMask } from "./extent-chunk.ts";
import type { StatusMap } from "./status-map.ts";
import type { BlockStatus } from "./status.ts";

export type Range = [start: number, end: number];
export type Direction = 1 | -1;

export class Domain {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  readonly size: number;

  constructor(readonly ranges: readonly Range[]) {
    this.starts = new Float64Array(ranges.length);
    this.ends = new Float64Array(ranges.length);
    let size = 0;
    ranges.forEach(([a, b], k) => {
      this.starts[k] = a;
      this.ends[k] = b;
      size += b - a;
    });
    this.size = size;
  }

  static whole(size: number): Domain {
    return new Domain(size > 0 ? [[0, size]] : []);
  }

  /** Index of the first range ending after pos (ranges.length if none). */
  private firstEndingAfter(pos: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! > pos) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Number of ranges starting before pos (the last of them is the one that may hold pos - 1). */
  private countStartingBefore(pos: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  contains(pos: number): boolean {
    const k = this.firstEndingAfter(pos);
    return k < this.ends.length && this.starts[k]! <= pos;
  }

  /** Whether [from, to) lies inside one range: no gap of the domain in between. */
  covers(from: number, to: number): boolean {
    const k = this.firstEndingAfter(from);
    return k < this.ends.length && this.starts[k]! <= from && this.ends[k]! >= to;
  }

  /** First range (in direction dir) overlapping [from, to), clipped to it. */
  clip(from: number, to: number, dir: Direction): Range | null {
    if (to <= from) return null;
    // Forwards: the first range ending after from; backwards: the last one starting before to.
    const k = dir > 0 ? this.firstEndingAfter(from) : this.countStartingBefore(to) - 1;
    if (k < 0 || k >= this.ends.length) return null;
    const a = this.starts[k]!;
    const b = this.ends[k]!;
    return b > from && a < to ? [Math.max(a, from), Math.min(b, to)] : null;
  }

  /** Where the domain next has bytes: forwards, the first in-domain byte at or after pos; backwards, the end of the in-domain bytes before pos. */
  nextInside(pos: number, dir: Direction): number | null {
    if (dir > 0) {
      const k = this.firstEndingAfter(pos);
      return k < this.ends.length ? Math.max(pos, this.starts[k]!) : null;
    }
    const k = this.countStartingBefore(pos) - 1;
    return k >= 0 ? Math.min(pos, this.ends[k]!) : null;
  }
}

/**
 * The next in-domain range whose status is in `statuses`, searching from `pos` in
 * direction `dir` (forwards: ranges ending after pos; backwards: ranges starting before pos).
 * The range returned is one extent clipped to one domain range. Extents of other
 * statuses are skipped a chunk at a time, extents outside the domain a domain gap at a time.
 */
export function nextWork(map: StatusMap, domain: Domain, statuses: string, pos: number, dir: Direction): Range | null {
  const mask = statusMask(statuses);
  if (dir > 0) {
    for (let p = Math.max(0, pos); ; ) {
      const x = map.findWork(p, mask, 1);
      if (!x) return null;
      const from = Math.max(p, x[0]);
      const r = domain.clip(from, x[1], 1);
      if (r) return r;
      const next = domain.nextInside(x[1], 1);
      if (next === null) return null;
      p = next;
    }
  }
  for (let p = Math.min(pos, map.end); ; ) {
    const x = map.findWork(p, mask, -1);
    if (!x) return null;
    const to = Math.min(p, x[1]);
    const r = domain.clip(x[0], to, -1);
    if (r) return r;
    const next = domain.nextInside(x[0], -1);
    if (next === null) return null;
    p = next;
  }
}

/** The statuses of blocks a read failed on: non-trimmed, non-scraped, bad. */
export const FAILED: readonly BlockStatus[] = ["*", "/", "-"];

export function statusIn(map: StatusMap, pos: number, statuses: readonly BlockStatus[]): boolean {
  const s = map.statusAt(pos);
  return s !== undefined && statuses.includes(s);
}
