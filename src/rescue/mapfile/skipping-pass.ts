// Copy pass 1: clusters in the main direction, skipping ahead after an error. When a skip
// lands on good data again (an escape), the untried stretch back towards the failure is
// read at once, backwards, up to its first error: the readable data after the bad area
// comes out now instead of in pass 2, and the failed read that ends it (which pass 2
// would pay anyway) measures the bad area. Skips and read sizes come from what has been
// learned about the damage so far (damage-learner.ts).
import { nextWork, type Direction } from "./domain.ts";
import type { RescueContext } from "./context.ts";
import { chunkAt, copyChunk } from "./copy-phase.ts";
import { DamageLearner } from "./damage-learner.ts";

/** Each further error in a row multiplies the skip by this. */
const SKIP_GROWTH = 4;

export async function skippingPass(ctx: RescueContext, dir: Direction, resume?: number): Promise<void> {
  const o = ctx.options;
  const learner = new DamageLearner(ctx);
  let pos = resume ?? (dir > 0 ? 0 : ctx.map.end);
  let skip = 0;
  /** Near edge of the first failed chunk of the current run of failures, or null. */
  let contact: number | null = null;
  for (;;) {
    const r = nextWork(ctx.map, ctx.domain, "?", pos, dir);
    if (!r) break;
    const [s, e] = r;
    pos = dir > 0 ? Math.max(pos, s) : Math.min(pos, e);
    const [a, b] = chunkAt(ctx, pos, dir, s, e, learner.readSize(pos));
    const near = dir > 0 ? a : b;
    ctx.at("?", 1, near);
    const ok = copyChunk(ctx, a, b);
    const slow = ok && learner.slow(b - a, ctx.lastReadMs);
    if (slow) ctx.counters.slowReads++;
    await ctx.step();
    if (ok && !slow) {
      if (contact !== null) {
        const far = await readBack(ctx, near, contact, -dir as Direction);
        learner.area(Math.abs(far - contact));
        contact = null;
      }
      skip = 0;
    } else {
      if (!ok && contact === null) {
        contact = near;
        learner.contact(near);
      }
      if (o.skipInitial > 0) skip = skip === 0 ? learner.firstSkip() : Math.min(skip * SKIP_GROWTH, o.skipMax);
    }
    pos = dir > 0 ? b + skip : a - skip;
  }
}

/**
 * Read untried chunks from `from` towards `to` (direction dir) until the first failure or
 * a block that is not untried. Returns the far edge (towards `from`) of the failed chunk,
 * or where the reading stopped: the bad area lies between `to` and that edge.
 */
async function readBack(ctx: RescueContext, from: number, to: number, dir: Direction): Promise<number> {
  let pos = from;
  while (dir > 0 ? pos < to : pos > to) {
    const r = nextWork(ctx.map, ctx.domain, "?", pos, dir);
    // Only the contiguous untried stretch next to the landing point.
    if (!r || (dir > 0 ? r[0] !== pos : r[1] !== pos)) return pos;
    const [a, b] = chunkAt(ctx, pos, dir, dir > 0 ? pos : Math.max(r[0], to), dir > 0 ? Math.min(r[1], to) : pos);
    ctx.at("?", 1, dir > 0 ? a : b);
    const ok = copyChunk(ctx, a, b);
    await ctx.step();
    if (!ok) return dir > 0 ? a : b;
    pos = dir > 0 ? b : a;
  }
  return pos;
}

