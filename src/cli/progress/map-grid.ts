// The rescue map as a grid of terminal cells, like ddrescueview (and like `map show --svg`):
// the domain split into equal cells in reading order, each showing the worst state of the
// bytes it covers (cellStates, shared with the SVG), so a single bad sector in a large cell
// still shows. With colour, a cell is a coloured block; without (NO_COLOR, a dumb terminal,
// a pipe), it is the mapfile's own status character. Pure: map in, lines out.
import { cellStates } from "../../formats/map-svg.ts";
import type { BlockSource } from "../../formats/mapfile-write.ts";
import { statusNames, type BlockStatus } from "../../rescue/mapfile/status.ts";
import { ddBytes } from "./status-layout.ts";

/** ANSI background colours close to ddrescueview's palette (statusColours). */
const background: Record<BlockStatus, string> = {
  "+": "42", // green
  "?": "100", // grey
  "*": "43", // yellow
  "/": "44", // blue
  "-": "41", // red
};

export interface GridOptions {
  /** Cells per line and lines of cells. */
  columns: number;
  rows: number;
  colour: boolean;
  /** The byte the rescue is reading now, marked with '@' (live view). */
  position?: number;
}

/** Size of the domain covered by the blocks (their end). */
function blocksEnd(blocks: BlockSource): number {
  let end = 0;
  blocks.scan((_a, b) => void (end = b));
  return end;
}

/** The grid's lines; each is exactly `columns` characters wide on screen. */
export function gridLines(blocks: BlockSource, size: number, o: GridOptions): string[] {
  const columns = Math.max(1, Math.floor(o.columns));
  const rows = Math.max(1, Math.floor(o.rows));
  const cells = columns * rows;
  if (size <= 0) return [];
  const states = cellStates(blocks, size, cells);
  const marked = o.position !== undefined && o.position >= 0 && o.position < size ? Math.floor((o.position * cells) / size) : -1;
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = "";
    let colour = "";
    for (let c = r * columns; c < (r + 1) * columns; c++) {
      const s = states[c]!;
      // A cell that also holds rescued data shows a green corner, as in the SVG.
      const glyph = c === marked ? "@" : o.colour ? (s.mixed ? "\u2598" : " ") : s.status;
      if (o.colour) {
        const want = `\x1b[${background[s.status]};${c === marked ? "97;1" : "92"}m`;
        if (want !== colour) line += colour = want;
      }
      line += glyph;
    }
    lines.push(o.colour ? `${line}\x1b[0m` : line);
  }
  return lines;
}

/** The key to the colours, and what one cell stands for; `width` columns at most (plain text length). */
export function legendLine(size: number, cells: number, colour: boolean, width: number): string {
  const order: BlockStatus[] = ["+", "?", "*", "/", "-"];
  const key = (s: BlockStatus, name: string) => (colour ? `\x1b[${background[s]}m \x1b[0m ${name}` : `${s} ${name}`);
  const per = `cell: ${ddBytes(Math.ceil(size / Math.max(1, cells)))}`;
  // Full names when they fit, else the bare symbols (plain length: 2 per key), else nothing.
  const fullLen = order.reduce((n, s) => n + statusNames[s].length + 2, 0) + (order.length - 1);
  if (fullLen + 2 + per.length <= width) return `${order.map((s) => key(s, statusNames[s])).join(" ")}  ${per}`;
  const short = order.map((s) => key(s, "")).join("");
  if (2 * order.length + per.length <= width) return `${short}${per}`;
  return 2 * order.length <= width ? short : "";
}

/**
 * The grid size that fits `width` x `height` character cells: every column of the terminal
 * is used, and only as many rows as the map needs (a map smaller than the grid does not
 * get cells finer than a sector).
 */
export function fitGrid(width: number, height: number, size: number, sector = 512): { columns: number; rows: number } {
  const columns = Math.max(1, width);
  const sectors = Math.max(1, Math.ceil(size / sector));
  const rows = Math.max(1, Math.min(height, Math.ceil(sectors / columns)));
  return { columns, rows };
}

/**
 * `salvage map show` on a terminal: the grid under the summary, as wide as the terminal and
 * at most `maxRows` high (--columns/--rows choose the grid instead when given).
 */
export function terminalGrid(blocks: BlockSource, o: { width: number; height: number; columns?: number; rows?: number; colour: boolean }): string {
  const size = blocksEnd(blocks);
  if (size <= 0) return "";
  const fitted = fitGrid(Math.max(1, o.width - 1), Math.max(1, o.height), size);
  const g = { columns: o.columns ?? fitted.columns, rows: o.rows ?? fitted.rows };
  const lines = gridLines(blocks, size, { ...g, colour: o.colour });
  const legend = legendLine(size, g.columns * g.rows, o.colour, Math.max(g.columns, o.width - 1));
  return [...lines, ...(legend ? [legend] : [])].join("\n") + "\n";
}
