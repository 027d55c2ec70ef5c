// One report line per piece, like the 1990 textpieces printed, plus where the piece
// lay on disk when a getfree index (or undelete's own walk) tells us.
import type { FragmentIndex } from "./fragment-index.ts";
import type { PieceInfo } from "./pieces.ts";

const MAX_RANGES = 8;

/** "disk fragments 99-103 (bytes 101376-106495), 200 (byte 204800)" (at most 8 ranges, then a count). */
export function rangesText(ranges: Array<[number, number]>, fsize: number, base: number): string {
  const shown = ranges.slice(0, MAX_RANGES).map(([a, b]) => {
    const start = base + a * fsize;
    return a === b ? `${a} (byte ${start})` : `${a}-${b} (bytes ${start}-${base + (b + 1) * fsize - 1})`;
  });
  const more = ranges.length > MAX_RANGES ? ` and ${ranges.length - MAX_RANGES} more ranges` : "";
  return `disk fragments ${shown.join(", ")}${more}`;
}

export function pieceLine(path: string, p: PieceInfo, index: FragmentIndex | null): string {
  const head = `${path}: ${p.complete ? "complete" : "partial "} ${p.bytes} bytes in ${p.fragments} fragment${p.fragments === 1 ? "" : "s"}`;
  if (!index) return `${head} (input fragments ${p.firstFragment}-${p.lastFragment})`;
  return `${head}, ${rangesText(index.diskRanges(p.firstFragment, p.lastFragment), index.fsize, index.base)}`;
}
