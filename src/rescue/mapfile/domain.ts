// The rescue domain: the sorted, non-overlapping byte ranges a rescue may touch
// (the whole source by default; only the finished blocks of a `--domain` map otherwise).
// Work is found by intersecting the map's extents of some statuses with the domain.
import type { StatusMap } from "./status-map.ts";
import type { BlockStatus } from "./status.ts";

export type Range = [start: number, end: number];
export type Direction = 1 | -1;

export class Domain {
  constructor(readonly ranges: readonly Range[]) {}

  static whole(size: number): Domain {
    return new Domain(size > 0 ? [[0, size]] : []);
  }

  get size(): number {
    return this.ranges.reduce((t, [a, b]) => t + b - a, 0);
  }

  contains(pos: number): boolean {
    return this.ranges.some(([a, b]) => pos >= a && pos < b);
  }

  /** First range (in direction dir) overlapping [from, to), clipped to it. */
  clip(from: number, to: number, dir: Direction): Range | null {
    if (dir > 0) {
      for (const [a, b] of this.ranges) if (b > from && a < to) return [Math.max(a, from), Math.min(b, to)];
    } else {
      for (let k = this.ranges.length - 1; k >= 0; k--) {
        const [a, b] = this.ranges[k]!;
        if (b > from && a < to) return [Math.max(a, from), Math.min(b, to)];
      }
    }
    return null;
  }
}

/**
 * The next in-domain range whose status is in `statuses`, searching from `pos` in
 * direction `dir` (forwards: ranges ending after pos; backwards: ranges starting before pos).
 * The range returned is one extent clipped to one domain range.
 */
export function nextWork(map: StatusMap, domain: Domain, statuses: string, pos: number, dir: Direction): Range | null {
  if (map.count === 0) return null;
  if (dir > 0) {
    if (pos >= map.end) return null;
    for (let i = map.indexAt(Math.max(0, pos)); i < map.count; i++) {
      if (!statuses.includes(map.statusOf(i))) continue;
      const r = domain.clip(Math.max(pos, map.startOf(i)), map.endOf(i), 1);
      if (r) return r;
    }
  } else {
    if (pos <= 0) return null;
    for (let i = map.indexAt(Math.min(pos, map.end) - 1); i >= 0; i--) {
      if (!statuses.includes(map.statusOf(i))) continue;
      const r = domain.clip(map.startOf(i), Math.min(pos, map.endOf(i)), -1);
      if (r) return r;
    }
  }
  return null;
}

export function statusIn(map: StatusMap, pos: number, statuses: readonly BlockStatus[]): boolean {
  const s = map.statusAt(pos);
  return s !== undefined && statuses.includes(s);
}
