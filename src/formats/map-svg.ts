// A picture of a rescue map in the style of ddrescueview: the domain as a grid of cells,
// each coloured by the worst state of the bytes it covers (so one bad sector in a cell
// of megabytes still shows), with a legend of totals. Pure: map in, SVG text out; one
// pass over the extents, so a map of millions of lines draws in memory for the cells only.
import { STATUS_CHARS } from "../rescue/mapfile/extent-chunk.ts";
import type { BlockSource } from "./mapfile-write.ts";
import { statusNames, type BlockStatus } from "../rescue/mapfile/status.ts";
import { humanBytes } from "../util/units.ts";

/** ddrescueview's palette. */
export const statusColours: Record<BlockStatus, string> = {
  "+": "#22c23a",
  "?": "#4d4d4d",
  "*": "#f0d000",
  "/": "#3060e8",
  "-": "#e02020",
};

/** Worst first: a cell shows the first of these it contains. */
const severity: BlockStatus[] = ["-", "/", "*", "?", "+"];

export interface SvgOptions {
  title?: string;
  columns?: number;
  rows?: number;
  cell?: number;
}

/**
 * For each cell, the worst status among the bytes it covers, and whether it is mixed with
 * finished data. One pass over the extents, memory per cell: O(extents + cells).
 */
export function cellStates(blocks: BlockSource, size: number, cells: number): Array<{ status: BlockStatus; mixed: boolean }> {
  // Cell c covers [from(c), to(c)); both are non-decreasing in c, so the cells an extent
  // touches are a run found by two binary searches.
  const from = (c: number) => Math.floor((c * size) / cells);
  const to = (c: number) => Math.max(from(c) + 1, Math.floor(((c + 1) * size) / cells));
  const firstEndingAfter = (p: number) => search(cells, (c) => to(c) > p);
  const firstStartingAt = (p: number) => search(cells, (c) => from(c) >= p);
  const seen = new Uint8Array(cells);
  blocks.scan((a, b, code) => {
    const bit = 1 << code;
    for (let c = firstEndingAfter(a), last = firstStartingAt(b); c < last; c++) seen[c]! |= bit;
  });
  const finished = 1 << STATUS_CHARS.indexOf("+");
  const out: Array<{ status: BlockStatus; mixed: boolean }> = [];
  for (let c = 0; c < cells; c++) {
    const status = severity.find((s) => seen[c]! & (1 << STATUS_CHARS.indexOf(s))) ?? "?";
    out.push({ status, mixed: status !== "+" && (seen[c]! & finished) !== 0 });
  }
  return out;
}

/** Smallest i in [0, n) with pred(i) true (pred monotonic), or n. */
function search(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function mapToSvg(blocks: BlockSource, options: SvgOptions = {}): string {
  let size = 0;
  const columns = options.columns ?? 96;
  const rows = options.rows ?? 48;
  const cell = options.cell ?? 9;
  const pad = 16;
  const top = 44;
  const gridW = columns * cell;
  const gridH = rows * cell;
  const legendY = top + gridH + 24;
  const width = Math.max(gridW + 2 * pad, 420); // the legend and footnote need room
  const height = legendY + 5 * 20 + 36;
  const totals: Record<BlockStatus, number> = { "?": 0, "*": 0, "/": 0, "-": 0, "+": 0 };
  let badAreas = 0;
  blocks.scan((a, b, code) => {
    totals[STATUS_CHARS[code] as BlockStatus] += b - a;
    if (STATUS_CHARS[code] === "-") badAreas++;
    size = b;
  });
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="13">`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  const pct = size > 0 ? ((100 * totals["+"]) / size).toFixed(2) : "100.00";
  out.push(`<text x="${pad}" y="22" font-size="16" font-weight="bold">${esc(options.title ?? "rescue map")}</text>`);
  out.push(`<text x="${pad}" y="38" fill="#444">${humanBytes(size)} in ${columns * rows} cells of ${humanBytes(Math.ceil(size / (columns * rows)))}: ${pct}% rescued, ${badAreas} bad area${badAreas === 1 ? "" : "s"}</text>`);
  out.push(`<rect x="${pad - 1}" y="${top - 1}" width="${gridW + 1}" height="${gridH + 1}" fill="#202020"/>`);
  const states = cellStates(blocks, size, columns * rows);
  states.forEach((s, k) => {
    const x = pad + (k % columns) * cell;
    const y = top + Math.floor(k / columns) * cell;
    out.push(`<rect x="${x}" y="${y}" width="${cell - 1}" height="${cell - 1}" fill="${statusColours[s.status]}"/>`);
    // A cell that also holds rescued data gets a green corner, as ddrescueview blends it.
    if (s.mixed) out.push(`<rect x="${x}" y="${y}" width="${Math.ceil(cell / 3)}" height="${Math.ceil(cell / 3)}" fill="${statusColours["+"]}"/>`);
  });
  (["+", "?", "*", "/", "-"] as BlockStatus[]).forEach((st, i) => {
    const y = legendY + i * 20;
    const share = size > 0 ? ((100 * totals[st]) / size).toFixed(2) : "0.00";
    out.push(`<rect x="${pad}" y="${y - 11}" width="13" height="13" fill="${statusColours[st]}" stroke="#202020"/>`);
    out.push(`<text x="${pad + 20}" y="${y}">${esc(`${st}  ${statusNames[st]}`)}</text>`);
    out.push(`<text x="${pad + 190}" y="${y}">${humanBytes(totals[st])}</text>`);
    out.push(`<text x="${pad + 300}" y="${y}">${share}%</text>`);
  });
  out.push(`<text x="${pad}" y="${legendY + 5 * 20 + 8}" fill="#666" font-size="11">Each cell shows the worst state it contains (a green corner: it also holds rescued data).</text>`);
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
