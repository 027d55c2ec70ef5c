// One chunk of a copy pass: where it lies, and reading it with what a failed read proves
// marked. Shared by the copy passes and the skipping pass's read-backs.
import type { Direction } from "./domain.ts";
import type { RescueContext } from "./context.ts";

/** Chunk-aligned chunk starting at pos (forwards) or ending at pos (backwards), inside [s, e). */
export function chunkAt(ctx: RescueContext, pos: number, dir: Direction, s: number, e: number, c = ctx.options.cluster): [number, number] {
  if (dir > 0) return [pos, Math.min(e, Math.floor(pos / c) * c + c)];
  return [Math.max(s, Math.ceil(pos / c) * c - c), pos];
}

/** Read one chunk; mark what failed non-trimmed. Returns true when all of it was read. */
export function copyChunk(ctx: RescueContext, a: number, b: number): boolean {
  const n = ctx.read(a, b - a);
  if (n === b - a) return true;
  // What read() classified (the stop sector, or the first one) is bad already.
  const at = a + Math.max(0, n);
  const from = ctx.stopSectorBad || ctx.firstSectorBad ? ctx.firstSectorEnd(at, b - at) : at;
  if (b > from) ctx.map.set(from, b - from, "*");
  return false;
}
