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

/**
 * Where pass 1 is in a run of failures. Kept on the context with the learner (ctx.pass1)
 * and saved beside the map, so a restarted pass goes on with the same skip instead of
 * taking the failures before the restart for a new area.
 */
export interface PassRun {
  /** Near edge of the first failed chunk of the current run of failures, or null. */
  contact: number | null;
  /** Failed reads since the contact. */
  failures: number;
  /** Near edge of the last failed chunk since the contact: the area reaches at least there
   *  (a failed read proves a bad sector somewhere in it, not at its far edge). */
  reached: number;
  skip: number;
  /** The next read starts right after a small defect's single failed read. */
  nextToDefect: boolean;
  /** Near edge of the good read that ended the run of failures, while the stretch behind it is read back; else null. */
  landing: number | null;
  /** Far edge of a large failed read while it is read again in clusters (refine); else null. */
  refining: number | null;
}

export async function skippingPass(ctx: RescueContext, dir: Direction, resume?: number): Promise<void> {
  const pos = resume ?? (dir > 0 ? 0 : ctx.map.end);
  // What the pass knew when its map was saved, if this run continues exactly there.
  const saved = ctx.resumePass1;
  ctx.resumePass1 = null;
  const same = saved !== null && saved.dir === dir && saved.pos === pos;
  const learner = same ? new DamageLearner(ctx, saved.learner) : new DamageLearner(ctx, pos);
  const run: PassRun = same ? { ...saved.run } : { contact: null, failures: 0, reached: 0, skip: 0, nextToDefect: false, landing: null, refining: null };
  ctx.pass1 = { dir, learner, run };
  await passLoop(ctx, dir, pos, learner, run);
  // Only when the pass is over: a stop leaves it in place for the map's final save.
  ctx.pass1 = null;
}

async function passLoop(ctx: RescueContext, dir: Direction, pos: number, learner: DamageLearner, run: PassRun): Promise<void> {
  const o = ctx.options;
  if (run.landing !== null && run.contact !== null) {
    // Restarted while reading back from a landing point: go on from the near end of what
    // was read back (the finished block around the landing read), as the run before would.
    const i = ctx.map.indexAt(dir > 0 ? run.landing : run.landing - 1);
    pos = run.landing;
    await measureArea(ctx, learner, run, dir > 0 ? ctx.map.startOf(i) : ctx.map.endOf(i), dir);
    run.contact = null;
    run.skip = 0;
  }
  // Restarted while a large failed read was read again in clusters: go on with it.
  let refined = run.refining !== null ? await refineAgain(ctx, pos, run.refining, dir) : null;
  run.refining = null;
  for (;;) {
    let a: number;
    let b: number;
    let ok = false;
    if (refined) [[a, b], refined] = [refined, null];
    else {
      const r = nextWork(ctx.map, ctx.domain, "?", pos, dir);
      if (!r) break;
      const [s, e] = r;
      const from = dir > 0 ? s : e;
      if (run.contact === null && isHole(ctx, s, e, dir)) {
        // Untried space an earlier pass 1 left between a failure and what it read or failed
        // beyond: the inside of a bad area, which that pass left to pass 2 (a run started
        // without its status line: rescue -A, a --used-first stage after a restart). Read
        // from here it would only fail again, read after read.
        pos = dir > 0 ? e : s;
        continue;
      }
      if (run.contact === null && o.skipInitial > 0 && (dir > 0 ? pos < s : pos > e) && failedBefore(ctx, from, dir)) {
        // Arrived past failed blocks of an earlier run (a resumed map, the stage before in
        // rescue --used-first): their damage likely goes on here. Skip as after a failure,
        // without paying one; the stretch skipped is read back or left to passes 2-3.
        run.contact = from;
        run.reached = from;
        run.failures = 1;
        learner.contact(from);
        run.skip = learner.firstSkip();
        pos = dir > 0 ? from + run.skip : from - run.skip;
        continue;
      }
      pos = dir > 0 ? Math.max(pos, s) : Math.min(pos, e);
      [a, b] = chunkAt(ctx, pos, dir, s, e, learner.readSize(pos));
      ctx.at("?", 1, dir > 0 ? a : b);
      ok = copyChunk(ctx, a, b);
      // A large read (on a healthy stretch) that failed whole: its readable start would wait
      // for trimming behind one large non-trimmed block. Read it again in clusters up to the
      // damage (one failed read more, for up to a MiB of data); what lies beyond the failed
      // cluster was not really tried, so skipping and reading back treat it as always. It is
      // non-tried again before the clusters are read: a restart in the middle goes on
      // reading it (run.refining), not trimming.
      if (!ok && b - a > o.cluster && ctx.map.statusAt(dir > 0 ? a : b - 1) === "*") {
        ctx.map.set(a, b - a, "?");
        run.refining = dir > 0 ? b : a;
        [a, b] = await refine(ctx, a, b, dir);
        run.refining = null;
      } else if (!ok && dir > 0 && b - a > o.cluster) {
        // A large read that stopped short at damage: only a cluster past the damage counts as
        // non-trimmed; the rest was never tried.
        const stop = ctx.map.statusAt(a) === "+" ? ctx.map.endOf(ctx.map.indexAt(a)) : a;
        const end = Math.min(b, Math.ceil((stop + 1) / o.cluster) * o.cluster);
        if (end < b && ctx.map.statusAt(end) === "*") ctx.map.set(end, b - end, "?");
        [a, b] = [Math.max(a, end - o.cluster), end];
      }
    }
    const near = dir > 0 ? a : b;
    const slow = ok && learner.slow(b - a, ctx.lastReadMs);
    if (slow) ctx.counters.slowReads++;
    // The read right after a single failure of a small defect: did the defect reach into it?
    if (run.nextToDefect) learner.adjacent(!ok);
    run.nextToDefect = false;
    if (ok && !slow) {
      if (run.contact !== null) {
        // Escaped after one failure of a defect larger than a read, or still learning what
        // the areas on this disk look like: the other side is read back now, which measures
        // the area. After several failures, once areas are known: a large area, whose far
        // side is left to pass 2 (one failed read that can wait). A small defect's skipped
        // read waits for pass 2 too: it is the read the defect most likely reaches into, and
        // two seeks to fetch it now cost more than the little data it holds is worth.
        if ((run.failures === 1 && !learner.smallDamage()) || learner.measured < LEARNING_AREAS) {
          run.landing = near;
          await measureArea(ctx, learner, run, near, dir);
        }
        run.contact = null;
      }
      run.skip = 0;
    } else {
      if (!ok) run.failures = run.contact === null ? 1 : run.failures + 1;
      if (!ok && run.contact === null) {
        // Where the damage begins: after the good part of a short read.
        run.contact = dir > 0 && ctx.map.statusAt(a) === "+" ? ctx.map.endOf(ctx.map.indexAt(a)) : near;
        learner.contact(run.contact);
        run.reached = run.contact;
      }
      // A failure past a gap of the domain says nothing about this area's reach.
      if (!ok && run.contact !== null && spans(ctx, run.contact, near)) run.reached = near;
      if (o.skipInitial > 0) {
        const first = learner.firstSkip();
        if (run.failures === 1 && learner.smallDamage()) {
          // Small defects (weak or scattered sectors): reading on is cheaper than a skip,
          // unless defects here often reach into the next read (a scratch met with small
          // reads); then skip just that one read. Reading on starts DEFECT_GAP sectors
          // further: a defect that ends just past the failed read (a run of a few sectors
          // across its end) would fail the next read too, and the few sectors left between
          // cost one seek in pass 2, after the readable data.
          run.nextToDefect = learner.adjacentPays();
          run.skip = run.nextToDefect ? DEFECT_GAP * ctx.sector : learner.readSize(pos);
        } else run.skip = run.skip < first ? first : Math.min(run.skip * SKIP_GROWTH, o.skipMax);
      }
    }
    pos = dir > 0 ? b + run.skip : a - run.skip;
    // Between reads, with the run state already updated for the next one and the status
    // line naming where it goes: a map saved here resumes exactly where this pass goes on.
    ctx.at("?", 1, Math.min(Math.max(pos, 0), ctx.map.end));
    await ctx.step();
  }
}

/**
 * Read the untried stretch from `from` back towards the contact, up to its first error, and
 * take the bad area's size from where that stopped. Measured across a gap of the domain
 * (rescue -m, the ranges of --used-first), the area reaches at least as far as the failed
 * reads went, at most to that edge.
 */
async function measureArea(ctx: RescueContext, learner: DamageLearner, run: PassRun, from: number, dir: Direction): Promise<void> {
  const contact = run.contact!;
  const edge = await readBack(ctx, from, contact, -dir as Direction);
  learner.area(Math.abs(edge - contact), spans(ctx, contact, edge) ? undefined : Math.abs(run.reached - contact));
  run.landing = null;
}

/**
 * Is the untried [s, e) bounded by tried space ahead and by a failure behind it (seen from
 * dir)? The side ahead first: while pass 1 reads a healthy stretch, the untried space runs
 * to the end of the disk, and no look-up is made.
 */
function isHole(ctx: RescueContext, s: number, e: number, dir: Direction): boolean {
  const ahead = dir > 0 ? e : s - 1;
  return ahead >= 0 && ahead < ctx.map.end && ctx.map.statusAt(ahead) !== "?" && failedBefore(ctx, dir > 0 ? s : e, dir);
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
 * read command, with no seek. `pos` and `size`: the first read (refineAgain goes on with a
 * later cluster).
 */
async function refine(ctx: RescueContext, a: number, b: number, dir: Direction, pos = dir > 0 ? a : b, size = ctx.sector): Promise<[number, number]> {
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

/**
 * refine() where a restart cut it off: `p` is where its last read began (the status line),
 * `far` the far edge of the large read. A good last read: the clusters go on after it. A
 * failed one: that piece (with what it marked bad) is the result, as refine() returned it.
 */
async function refineAgain(ctx: RescueContext, p: number, far: number, dir: Direction): Promise<[number, number]> {
  const m = ctx.map;
  if (dir > 0) {
    if (m.statusAt(p) === "+") {
      const q = Math.min(m.endOf(m.indexAt(p)), far);
      return q >= far ? [p, far] : refine(ctx, q, far, 1, q, ctx.options.cluster);
    }
    let y = p;
    while (y < far && statusIn(m, y, FAILED)) y = Math.min(m.endOf(m.indexAt(y)), far);
    return [p, y];
  }
  if (m.statusAt(p - 1) === "+") {
    const q = Math.max(m.startOf(m.indexAt(p - 1)), far);
    return q <= far ? [far, p] : refine(ctx, far, q, -1, q, ctx.options.cluster);
  }
  let x = p;
  while (x > far && statusIn(m, x - 1, FAILED)) x = Math.max(m.startOf(m.indexAt(x - 1)), far);
  return [x, p];
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
