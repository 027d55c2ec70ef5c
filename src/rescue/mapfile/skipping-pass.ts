// Copy pass 1: whole clusters in the main direction, skipping ahead after an error, with
// two things learned on the way:
// - When a skip lands on good data again (an escape), the untried stretch back towards
//   the failure is read at once, backwards, up to its first error: the readable data
//   after the bad area comes out now instead of in pass 2, and the failed read that ends
//   it (which pass 2 would pay anyway) measures the bad area.
// - The first skip after a new failure is the smallest of the last few bad areas measured
//   that way (a failing head's bands, a scratch, a dead zone), so one failure per area
//   usually suffices to jump past it; further failures in a row grow the skip fast. The
//   smallest, not the largest: defects that lie close together measure as one large
//   area, and must not make every later skip large.
// - Where failures come close together (dense damage: a scratch crossing every track),
//   reads get smaller, down to 8 sectors, so each failed read leaves less readable data
//   behind in its non-trimmed block; on a long good stretch they grow back to a cluster.
import { nextWork, type Direction } from "./domain.ts";
import type { RescueContext } from "./context.ts";
import { chunkAt, copyChunk } from "./copy-phase.ts";

/** Each further error in a row multiplies the skip by this. */
const SKIP_GROWTH = 4;
/** How many measured bad areas the first skip is learned from. */
const REMEMBERED_AREAS = 5;
/** Reads are at most 1/DENSITY_SHARE of the distance between failures. */
const DENSITY_SHARE = 16;
const MIN_READ_SECTORS = 8;

export async function skippingPass(ctx: RescueContext, dir: Direction, resume?: number): Promise<void> {
  const o = ctx.options;
  const areas: number[] = [];
  let pos = resume ?? (dir > 0 ? 0 : ctx.map.end);
  let skip = 0;
  /** Near edge of the first failed chunk of the current run of failures, or null. */
  let contact: number | null = null;
  let lastContact: number | null = null;
  let spacing = Infinity; // moving average of the distance between failures
  for (;;) {
    const r = nextWork(ctx.map, ctx.domain, "?", pos, dir);
    if (!r) break;
    const [s, e] = r;
    pos = dir > 0 ? Math.max(pos, s) : Math.min(pos, e);
    const since = lastContact === null ? Infinity : Math.abs(pos - lastContact);
    const [a, b] = chunkAt(ctx, pos, dir, s, e, readSize(ctx, Math.max(spacing, since)));
    const near = dir > 0 ? a : b;
    ctx.at("?", 1, near);
    const ok = copyChunk(ctx, a, b);
    const slow = ok && o.minReadRate > 0 && ctx.lastReadMs > 0 && ((b - a) * 1000) / ctx.lastReadMs < o.minReadRate;
    if (slow) ctx.counters.slowReads++;
    await ctx.step();
    if (ok && !slow) {
      if (contact !== null) {
        const far = await readBack(ctx, near, contact, -dir as Direction);
        areas.push(Math.abs(far - contact));
        if (areas.length > REMEMBERED_AREAS) areas.shift();
        contact = null;
      }
      skip = 0;
    } else {
      if (!ok && contact === null) {
        contact = near;
        if (lastContact !== null) spacing = spacing === Infinity ? Math.abs(near - lastContact) : 0.75 * spacing + 0.25 * Math.abs(near - lastContact);
        lastContact = near;
      }
      if (o.skipInitial > 0) skip = skip === 0 ? Math.min(o.skipMax, Math.max(o.skipInitial, areas.length ? Math.min(...areas) : 0)) : Math.min(skip * SKIP_GROWTH, o.skipMax);
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

/** Read size for a given distance between failures: a power-of-two share of it, in sectors. */
function readSize(ctx: RescueContext, spacing: number): number {
  const c = ctx.options.cluster;
  if (!Number.isFinite(spacing) || spacing >= c * DENSITY_SHARE) return c;
  let sectors = MIN_READ_SECTORS;
  while (sectors * 2 * ctx.sector * DENSITY_SHARE <= spacing) sectors *= 2;
  return Math.min(c, sectors * ctx.sector);
}
