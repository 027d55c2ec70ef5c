// Byte-range lists as the parsers build them: appended in address order, touching or
// overlapping ranges merged on the way, so a list's length follows the number of gaps.
import type { ByteRange } from "./types.ts";

export class RangeBuilder {
  readonly ranges: ByteRange[] = [];

  /** Add [start, start + length); ranges must come in order of their start. */
  add(start: number, length: number): void {
    if (!(length > 0)) return;
    const last = this.ranges[this.ranges.length - 1];
    if (last && start <= last.start + last.length) {
      if (start < last.start) throw new Error("RangeBuilder: ranges must come in order of their start");
      last.length = Math.max(last.length, start + length - last.start);
      return;
    }
    this.ranges.push({ start, length });
  }
}

/** Sorted, merged union of any number of range lists. */
export function unionRanges(...lists: readonly (readonly ByteRange[])[]): ByteRange[] {
  const all = lists.flat().filter((r) => r.length > 0).sort((a, b) => a.start - b.start);
  const out = new RangeBuilder();
  for (const r of all) out.add(r.start, r.length);
  return out.ranges;
}

/** The parts of [start, end) that no range of `ranges` (sorted, merged) covers. */
export function complementRanges(ranges: readonly ByteRange[], start: number, end: number): ByteRange[] {
  const out: ByteRange[] = [];
  let at = start;
  for (const r of ranges) {
    if (r.start + r.length <= at) continue;
    if (r.start >= end) break;
    if (r.start > at) out.push({ start: at, length: r.start - at });
    at = Math.max(at, r.start + r.length);
  }
  if (at < end) out.push({ start: at, length: end - at });
  return out;
}

export const rangeBytes = (ranges: readonly ByteRange[]) => ranges.reduce((n, r) => n + r.length, 0);

/** The parts of `a` that `b` does not cover (both sorted and merged); one pass over each. */
export function subtractRanges(a: readonly ByteRange[], b: readonly ByteRange[]): ByteRange[] {
  const out: ByteRange[] = [];
  let j = 0;
  for (const r of a) {
    const end = r.start + r.length;
    while (j < b.length && b[j]!.start + b[j]!.length <= r.start) j++;
    let at = r.start;
    for (let k = j; k < b.length && b[k]!.start < end; k++) {
      if (b[k]!.start > at) out.push({ start: at, length: b[k]!.start - at });
      at = Math.max(at, b[k]!.start + b[k]!.length);
    }
    if (at < end) out.push({ start: at, length: end - at });
  }
  return out;
}

/** The parts covered by both `a` and `b` (both sorted and merged). */
export function intersectRanges(a: readonly ByteRange[], b: readonly ByteRange[]): ByteRange[] {
  const out: ByteRange[] = [];
  let j = 0;
  for (const r of a) {
    const end = r.start + r.length;
    while (j < b.length && b[j]!.start + b[j]!.length <= r.start) j++;
    for (let k = j; k < b.length && b[k]!.start < end; k++) {
      const s = Math.max(r.start, b[k]!.start);
      const e = Math.min(end, b[k]!.start + b[k]!.length);
      if (e > s) out.push({ start: s, length: e - s });
    }
  }
  return out;
}
