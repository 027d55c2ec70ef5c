// One report line per piece, like the 1990 textpieces printed, plus where the piece
// lay on disk when a getfree index (or undelete's own walk) tells us.
import type { FragmentIndex } from "./fragment-index.ts";
import type { PieceInfo } from "./pieces.ts";

const MAX_RANGES = 8;

export function pieceLine(path: string, p: PieceInfo, index: FragmentIndex | null): string {
  const head = `${path}: ${p.complete ? "complete" : "partial "} ${p.bytes} bytes in ${p.fragments} fragment${p.fragments === 1 ? "" : "s"}`;
  if (!index) return `${head} (input fragments ${p.firstFragment}-${p.lastFragment})`;
  const ranges = index.diskRanges(p.firstFragment, p.lastFragment);
  const shown = ranges.slice(0, MAX_RANGES).map(([a, b]) => {
    const start = index.base + a * index.fsize;
    return a === b ? `${a} (byte ${start})` : `${a}-${b} (bytes ${start}-${index.base + (b + 1) * index.fsize - 1})`;
  });
  const more = ranges.length > MAX_RANGES ? ` and ${ranges.length - MAX_RANGES} more ranges` : "";
  return `${head}, disk fragments ${shown.join(", ")}${more}`;
}
