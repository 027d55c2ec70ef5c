// Copy pass 1: clusters in the main direction, skipping ahead after an error. When a skip
// lands on good data again (an escape), the untried stretch back towards the failure is
// read at once, backwards, up to its first error: the readable data after the bad area
// comes out now instead of in pass 2, and the failed read that ends it (which pass 2
// would pay anyway) measures the bad area. Skips and read sizes come from what has been
// learned about the damage so far (damage-learner.ts). Arriving past failed blocks an earlier
// run left (a resumed map, the previous stage of rescue --used-first) counts as a failure met.
import { FAILED, nextWork, statusIn, type Direction } from "./domain.ts";
import type { RescueContext } from "./context.ts";
import { chunkAt, copyChunk } from "./chunk.ts";
import { DamageLearner } from "./damage-learner.ts";

/** Bad areas measured by reading back before large ones are left to pass 2. */
const LEARNING_AREAS = 1;
/**
 * Each further error in a row multiplies the skip by this (as ddrescue does). Faster growth
 * jumps over whole stretches of good data between nearby areas, which then wait for the
 * probing of wide gaps after pass 2 (one area of a few hundred KiB left 3.5 MiB untried).
 */
const SKIP_GROWTH = 2;
/** Sectors left untried after a small defect's failed read before reading on (a defect's usual length). */
const DEFECT_GAP = 8;

export async function skippingPass(ctx: RescueContext, dir: Direction, resume?: number): Promise<void> {
  const o = ctx.options;
  let pos = resume ?? (dir > 0 ? 0 : ctx.map.end);
  const learner = new DamageLearner(ctx, pos);
  let skip = 0;
  /** Near edge of the first failed chunk of the current run of failures, or null. */
  let contact: number | null = null;
  /** Failed reads since the contact. */
  let failures = 0;
  /** Near edge of the last failed chunk since the contact: the area reaches at least there
   *  (a failed read proves a bad sector somewhere in it, not at its far edge). */
  let reached = 0;
  /** The next read starts right after a small defect's single failed read. */
  let nextToDefect = false;
  for (;;) {
    const r = nextWork(ctx.map, ctx.domain, "?", pos, dir);
    if (!r) break;
    const [s, e] = r;
    const from = dir > 0 ? s : e;
    if (contact === null && o.skipInitial > 0 && (dir > 0 ? pos < s : pos > e) && failedBefore(ctx, from, dir)) {
      // Arrived past failed blocks of an earlier run (a resumed map, the stage before in
      // rescue --used-first): their damage likely goes on here. Skip as after a failure,
      // without paying one; the stretch skipped is read back or left to passes 2-3.
      contact = from;
      reached = from;
      failures = 1;
      learner.contact(from);
      skip = learner.firstSkip();
      pos = dir > 0 ? from + skip : from - skip;
      continue;
    }
    pos = dir > 0 ? Math.max(pos, s) : Math.min(pos, e);
    let [a, b] = chunkAt(ctx, pos, dir, s, e, learner.readSize(pos));
    ctx.at("?", 1, dir > 0 ? a : b);
    let ok = copyChunk(ctx, a, b);
    // A large read (on a healthy stretch) that failed whole: its readable start would wait
    // for trimming behind one large non-trimmed block. Read it again in clusters up to the
    // damage (one failed read more, for up to a MiB of data); what lies beyond the failed
    // cluster was not really tried and becomes non-tried again, so skipping and reading
    // back treat it as always.
    if (!ok && b - a > o.cluster && ctx.map.statusAt(dir > 0 ? a : b - 1) === "*") {
      const [x, y] = await refine(ctx, a, b, dir);
      if (dir > 0 && y < b) ctx.map.set(y, b - y, "?");
      if (dir < 0 && x > a) ctx.map.set(a, x - a, "?");
      [a, b] = [x, y];
      ok = false;
    } else if (!ok && dir > 0 && b - a > o.cluster) {
      // A large read that stopped short at damage: only a cluster past the damage counts as
      // non-trimmed; the rest was never tried.
      const stop = ctx.map.statusAt(a) === "+" ? ctx.map.endOf(ctx.map.indexAt(a)) : a;
      const end = Math.min(b, Math.ceil((stop + 1) / o.cluster) * o.cluster);
      if (end < b && ctx.map.statusAt(end) === "*") ctx.map.set(end, b - end, "?");
      [a, b] = [Math.max(a, end - o.cluster), end];
    }
    const near = dir > 0 ? a : b;
    const slow = ok && learner.slow(b - a, ctx.lastReadMs);
    if (slow) ctx.counters.slowReads++;
    await ctx.step();
    // The read right after a single failure of a small defect: did the defect reach into it?
    if (nextToDefect) learner.adjacent(!ok);
    nextToDefect = false;
    if (ok && !slow) {
      if (contact !== null) {
        // Escaped after one failure of a defect larger than a read, or still learning what
        // the areas on this disk look like: the other side is read back now, which measures
        // the area. After several failures, once areas are known: a large area, whose far
        // side is left to pass 2 (one failed read that can wait). A small defect's skipped
        // read waits for pass 2 too: it is the read the defect most likely reaches into, and
        // two seeks to fetch it now cost more than the little data it holds is worth.
        if ((failures === 1 && !learner.smallDamage()) || learner.measured < LEARNING_AREAS) {
          // Measured across a gap of the domain (rescue -m, the ranges of --used-first), the
          // area reaches at least as far as the failed reads went, at most to that edge.
          const edge = await readBack(ctx, near, contact, -dir as Direction);
          learner.area(Math.abs(edge - contact), spans(ctx, contact, edge) ? undefined : Math.abs(reached - contact));
        }
        contact = null;
      }
      skip = 0;
    } else {
      if (!ok) failures = contact === null ? 1 : failures + 1;
      if (!ok && contact === null) {
        // Where the damage begins: after the good part of a short read.
        contact = dir > 0 && ctx.map.statusAt(a) === "+" ? ctx.map.endOf(ctx.map.indexAt(a)) : near;
        learner.contact(contact);
        reached = contact;
      }
      // A failure past a gap of the domain says nothing about this area's reach.
      if (!ok && contact !== null && spans(ctx, contact, near)) reached = near;
      if (o.skipInitial > 0) {
        const first = learner.firstSkip();
        if (failures === 1 && learner.smallDamage()) {
          // Small defects (weak or scattered sectors): reading on is cheaper than a skip,
          // unless defects here often reach into the next read (a scratch met with small
          // reads); then skip just that one read. Reading on starts DEFECT_GAP sectors
          // further: a defect that ends just past the failed read (a run of a few sectors
          // across its end) would fail the next read too, and the few sectors left between
          // cost one seek in pass 2, after the readable data.
          nextToDefect = learner.adjacentPays();
          skip = nextToDefect ? DEFECT_GAP * ctx.sector : learner.readSize(pos);
        } else skip = skip < first ? first : Math.min(skip * SKIP_GROWTH, o.skipMax);
      }
    }
    pos = dir > 0 ? b + skip : a - skip;
  }
}

/** Did reading fail just before `edge` (seen from direction dir)? */
function failedBefore(ctx: RescueContext, edge: number, dir: Direction): boolean {
  const at = dir > 0 ? edge - 1 : edge;
  return at >= 0 && at < ctx.map.end && statusIn(ctx.map, at, FAILED);
}

/**
 * Read the failed chunk [a, b) again in direction dir, first the one sector at the near edge,
 * then in clusters; returns the piece that fails. Where the large read began inside a bad
 * area (a range of rescue --used-first often does), a cluster there would fail again without
 * classifying anything; the one-sector read classifies that sector. Elsewhere it is one more
 * read command, with no seek.
 */
async function refine(ctx: RescueContext, a: number, b: number, dir: Direction): Promise<[number, number]> {
  let pos = dir > 0 ? a : b;
  let size = ctx.sector;
  for (;;) {
    const [x, y] = chunkAt(ctx, pos, dir, a, b, size);
    size = ctx.options.cluster;
    ctx.at("?", 1, dir > 0 ? x : y);
    const ok = copyChunk(ctx, x, y);
    await ctx.step();
    // The whole chunk failed once, so some cluster fails (unless the damage was weak).
    if (!ok || (dir > 0 ? y >= b : x <= a)) return [x, y];
    pos = dir > 0 ? y : x;
  }
}

/** Whether the domain has no gap between positions p and q. */
function spans(ctx: RescueContext, p: number, q: number): boolean {
  return ctx.domain.covers(Math.min(p, q), Math.max(p, q));
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
