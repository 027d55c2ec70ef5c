// Conversions between GNU ddrescue mapfiles and safecopy/e2fsck bad-block lists, so a
// rescue can move between tools. A list only knows "bad" blocks of one size: going to a
// list, blocks that touch any byte in the chosen states are listed; coming from one,
// listed blocks become bad sectors ('-') and everything else finished ('+').
import type { Extent } from "../rescue/mapfile/status-map.ts";
import { StatusMap } from "../rescue/mapfile/status-map.ts";
import type { BlockStatus } from "../rescue/mapfile/status.ts";
import { badblocksToRanges, formatBadblocks, rangesToBadblocks } from "./badblocks.ts";
import type { Mapfile } from "./mapfile.ts";

export function mapToBadblocks(blocks: readonly Extent[], blockSize: number, types: readonly BlockStatus[]): string {
  const ranges = blocks.filter((b) => types.includes(b.status)).map((b): [number, number] => [b.pos, b.pos + b.size]);
  return formatBadblocks(rangesToBadblocks(ranges, blockSize));
}

/** `size` is the device size; without it the map ends with the last listed block. */
export function badblocksToMap(list: readonly number[], blockSize: number, size?: number): Mapfile {
  const ranges = badblocksToRanges(list, blockSize);
  const end = size ?? (ranges.length ? ranges[ranges.length - 1]![1] : 0);
  const map = new StatusMap(end, "+");
  for (const [a, b] of ranges) map.set(a, b - a, "-");
  // The status line ddrescuelog -c writes: nothing tried yet in this (new) rescue.
  return { current: { pos: 0, status: "?", pass: 1 }, blocks: map.extents() };
}
