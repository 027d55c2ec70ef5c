// Trimming: find the exact edges of each non-trimmed block that touches good data, on
// both sides, before anything reads the inside of a bad area. The readable data between
// a failed read's start and the damage (on average half a cluster per edge) is the
// cheapest data left once copying is done: one failed read per edge. The middle becomes
// non-scraped without being read.
//
// Two sweeps: first the leading edges of all blocks (read forwards, so no seek per sector:
// one failed read and a few milliseconds per edge), then everything else, block by block
// (the trailing edges, read backwards at a seek per sector, cost several times as much
// for the same data on average). The status line's pass says which sweep to continue; a
// block whose leading edge was trimmed no longer touches good data there, so the first
// sweep never reads a block twice.
//
// rescue --used-first adds a third sweep: a block with an edge at a gap of the domain
// that counts as good only because nothing says the bad area runs through the gap (see
// touchesGood) waits for it, after every edge next to good data the map shows. A failed
// block next to good data holds half a read of readable data on average; one at a range
// edge holds data only where the bad area ends inside the gap, and on an aged disk, whose
// used ranges lie inside bad areas, mostly none (NTFS: 9 failed reads at such edges came
// before the one trailing edge with used data behind it).
import { nextWork, type Direction } from "./domain.ts";
import type { RescueContext } from "./context.ts";
import { touchesGood } from "./copy-phase.ts";
import { readOnBackward, readOnForward } from "./read-on.ts";

/** `resume`: the status line's pass (1 leading edges, 2 the rest, 3 gap edges) and position. */
export async function trimPhase(ctx: RescueContext, resume?: { pass: number; pos: number }): Promise<void> {
  const dir: Direction = ctx.options.reverse ? -1 : 1;
  ctx.emit({ type: "phase", phase: "trimming", status: "*", pass: 1, direction: dir > 0 ? "forwards" : "backwards", message: `Trimming failed blocks... (${dir > 0 ? "forwards" : "backwards"})` });
  const from = (pass: number) => (resume?.pass === pass ? resume.pos : undefined);
  const sweep = resume?.pass ?? 1;
  if (sweep <= 1) {
    await eachBlock(ctx, 1, dir, from(1), async (s, e) => {
      if (touchesGood(ctx, s, 1, false)) await readOnForward(ctx, s, e, true);
    });
  }
  if (sweep <= 2) {
    await eachBlock(ctx, 2, dir, from(2), async (s, e) => {
      if (!atGapEdge(ctx, s, e)) await trimBlock(ctx, s, e);
    });
  }
  // Every run, plain rescue too: the second sweep left no block there, unless this run
  // continues a map that --used-first left inside the third sweep.
  await eachBlock(ctx, 3, dir, from(3), (s, e) => trimBlock(ctx, s, e));
}

/** Does the block [s, e) have an edge that counts as good only across a gap of the domain? */
function atGapEdge(ctx: RescueContext, s: number, e: number): boolean {
  const across = (edge: number, dir: Direction) => !touchesGood(ctx, edge, dir, false) && touchesGood(ctx, edge, dir);
  return across(s, 1) || across(e, -1);
}

/** Call `each` on every non-trimmed block in direction dir, from `resume` on. */
async function eachBlock(ctx: RescueContext, pass: number, dir: Direction, resume: number | undefined, each: (s: number, e: number) => Promise<void>): Promise<void> {
  let pos = resume ?? (dir > 0 ? 0 : ctx.map.end);
  for (;;) {
    const r = nextWork(ctx.map, ctx.domain, "*", pos, dir);
    if (!r) break;
    const [s, e] = r;
    // The block's own edge, not the read position: on resume the block is found again
    // even after the reads inside it have shrunk it.
    ctx.at("*", pass, dir > 0 ? s : e);
    await each(s, e);
    pos = dir > 0 ? e : s;
  }
}

/**
 * Trim one non-trimmed block [s, e) from each good edge; the rest becomes non-scraped.
 * A block with good data after it, and good data or a known bad sector before it, holds
 * a small defect (a scratch, a few bad sectors), if those good runs are long (not the
 * readable islands of a pitted area): when much of the block is left, it is
 * read on forwards past its bad sectors (each failed read classifies one, as scraping
 * would), which costs no seeks; only CRAWL_LIMIT bad sectors in a row, a larger area
 * after all, send the rest to the backward read from the far edge.
 */
export async function trimBlock(ctx: RescueContext, s: number, e: number): Promise<void> {
  const leading = touchesGood(ctx, s, 1);
  let lo = leading ? await readOnForward(ctx, s, e, true) : s;
  const trailing = lo < e && touchesGood(ctx, e, -1);
  const far = e - lo > CRAWL_MIN_SECTORS * ctx.sector;
  if (trailing && far && (leading ? longGoodRun(ctx, s, -1) : followsDefectEdge(ctx, s)) && longGoodRun(ctx, e, 1)) lo = await crawlForward(ctx, lo, e);
  const hi = lo < e && trailing ? await readOnBackward(ctx, e, lo, true) : e;
  // Only what is still non-trimmed: a failed piece of the backward read may have marked
  // a sector bad in the middle.
  for (let p = lo; p < hi; ) {
    const i = ctx.map.indexAt(p);
    const end = Math.min(hi, ctx.map.endOf(i));
    if (ctx.map.statusOf(i) === "*") ctx.map.set(p, end - p, "/");
    p = end;
  }
}

/**
 * Is the good data next to `edge` (after it for dir > 0, before it for dir < 0) a long run,
 * or the end of the domain (with domainEdgeGood; else what lies beyond must be finished)?
 * A small defect lies between long good runs; a readable island of a few sectors next to
 * the block means it is the inside of a pitted area, where a crawl would pay a failed read
 * per bad sector before giving up.
 */
function longGoodRun(ctx: RescueContext, edge: number, dir: Direction): boolean {
  const at = dir > 0 ? edge : edge - 1;
  if (at < 0 || at >= ctx.map.end) return true;
  if (!ctx.domain.contains(at) && (ctx.options.domainEdgeGood || ctx.map.statusAt(at) !== "+")) return ctx.options.domainEdgeGood;
  const i = ctx.map.indexAt(at);
  const start = ctx.map.startOf(i);
  const end = ctx.map.endOf(i);
  const run = dir > 0 ? end - edge : edge - start;
  return run >= CRAWL_MIN_SECTORS * ctx.sector || (dir > 0 ? end >= ctx.map.end : start <= 0);
}

/** Does [s, …) follow bad sectors that themselves follow good data (where a short read stopped)? */
function followsDefectEdge(ctx: RescueContext, s: number): boolean {
  if (s <= 0 || ctx.map.statusAt(s - 1) !== "-") return false;
  const start = ctx.map.startOf(ctx.map.indexAt(s - 1));
  return start > 0 && ctx.map.statusAt(start - 1) === "+" && longGoodRun(ctx, start, -1);
}

/**
 * Below this many sectors left in the block, reading back from its far edge costs fewer
 * seeks than the bad sectors a crawl would pay for, so the block is not crawled.
 */
const CRAWL_MIN_SECTORS = 32;

/** Bad sectors in a row after which a small defect counts as a larger area. */
const CRAWL_LIMIT = 8;

/** Read [from, limit) forwards past bad sectors, until CRAWL_LIMIT of them in a row. */
async function crawlForward(ctx: RescueContext, from: number, limit: number): Promise<number> {
  let p = from;
  let inRow = 1; // a crawl starts next to a bad sector
  while (p < limit && inRow < CRAWL_LIMIT) {
    const q = await readOnForward(ctx, p, limit);
    inRow = q === ctx.firstSectorEnd(p, limit - p) ? inRow + 1 : 1;
    p = q;
  }
  return p;
}
