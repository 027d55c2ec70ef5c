// Building the sorted, merged ByteRange lists a UsedSpace holds. Parsers find allocated units
// in address order (a FAT, a bitmap), so the common case is an append that touches the last
// range; anything else (metadata found out of order) goes through mergeRanges at the end.
import type { ByteRange } from "./types.ts";

/** Collects ranges appended in ascending order, merging ones that touch or overlap. */
export class RangeList {
  readonly ranges: ByteRange[] = [];

  add(start: number, length: number): void {
    if (length <= 0) return;
    const last = this.ranges.at(-1);
    if (last && start <= last.start + last.length) {
      if (start < last.start) throw new Error("RangeList: ranges must come in ascending order");
      last.length = Math.max(last.length, start + length - last.start);
      return;
    }
    this.ranges.push({ start, length });
  }
}

/** Sorts and merges any ranges (empty ones dropped). */
export function mergeRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const list = new RangeList();
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) list.add(r.start, r.length);
  return list.ranges;
}

/** Total bytes of merged ranges. */
export const rangeBytes = (ranges: readonly ByteRange[]) => ranges.reduce((n, r) => n + r.length, 0);
