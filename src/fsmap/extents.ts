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

/**
 * Walks an allocation bitmap (bit i of byte i>>3, least significant first, as FAT-family and
 * NTFS bitmaps are) and reports runs of set bits as [first, count) unit numbers, relative to
 * the bitmap's first bit. `limit` bits at most: bits past the last unit are padding.
 */
export function setBitRuns(bits: Uint8Array, limit: number, run: (first: number, count: number) => void): void {
  const n = Math.min(limit, bits.length * 8);
  let i = 0;
  while (i < n) {
    const byte = bits[i >> 3]!;
    // Skip whole empty bytes quickly: most of a bitmap is long runs of 0x00 or 0xff.
    if ((i & 7) === 0 && byte === 0) {
      i += 8;
      continue;
    }
    if (!((byte >> (i & 7)) & 1)) {
      i++;
      continue;
    }
    const first = i;
    while (i < n && ((bits[i >> 3]! >> (i & 7)) & 1)) i += (i & 7) === 0 && bits[i >> 3] === 0xff && i + 8 <= n ? 8 : 1;
    run(first, i - first);
  }
}
