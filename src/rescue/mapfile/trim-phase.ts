// Trimming: find the exact edges of each non-trimmed block that touches good data.
// From a good leading edge, read forwards (one large read when the source reports
// partial data, since it then stops exactly at the damage; sector by sector otherwise)
// until the first bad sector; with --no-scrape, also from a good trailing edge, reading
// backwards sector by sector until the first bad sector. Each edge costs one failed
// read. The middle becomes non-scraped without being read.
import { nextWork, type Direction } from "./domain.ts";
import type { RescueContext } from "./context.ts";
import { touchesGood } from "./copy-phase.ts";

export async function trimPhase(ctx: RescueContext, resume?: number): Promise<void> {
  const dir: Direction = ctx.options.reverse ? -1 : 1;
  ctx.emit({ type: "phase", phase: "trimming", status: "*", pass: 1, direction: dir > 0 ? "forwards" : "backwards", message: `Trimming failed blocks... (${dir > 0 ? "forwards" : "backwards"})` });
  let pos = resume ?? (dir > 0 ? 0 : ctx.map.end);
  for (;;) {
    const r = nextWork(ctx.map, ctx.domain, "*", pos, dir);
    if (!r) break;
    const [s, e] = r;
    // The block's own edge, not the read position: on resume the block is found again
    // even after the reads inside it have shrunk it.
    ctx.at("*", 1, dir > 0 ? s : e);
    let lo = s;
    let hi = e;
    if (touchesGood(ctx, s, 1)) lo = await trimForward(ctx, s, e);
    // The trailing edge is found backwards only when nothing else would find it. When
    // scraping follows, it reads this block forwards anyway: every bad sector costs the
    // same one failed read either way, and forwards saves a seek per good sector.
    if (lo < hi && ctx.options.noScrape && touchesGood(ctx, e, -1)) hi = await trimBackward(ctx, lo, e);
    if (hi > lo) ctx.map.set(lo, hi - lo, "/");
    pos = dir > 0 ? e : s;
  }
}

/** Returns the position after the first bad sector found (or e). */
async function trimForward(ctx: RescueContext, s: number, e: number): Promise<number> {
  const ss = ctx.sector;
  let p = s;
  // The first sector past good data is the likeliest bad one (a short read stopped there):
  // try it alone, so finding the edge costs one failed read, not two, unless a failed
  // read classifies its first sector anyway (a source that reports errors per sector).
  let single = !ctx.perSectorErrors;
  while (p < e) {
    const len = single ? ctx.firstSectorEnd(p, e - p) - p : Math.min(ctx.options.cluster, e - p);
    const n = ctx.read(p, len);
    await ctx.step();
    if (n === len) {
      p += len;
      single = !ctx.partialReads;
    } else if (n > 0) {
      p += n;
      if (ctx.stopSectorBad) return ctx.firstSectorEnd(p, e - p);
      single = true;
    } else if (ctx.firstSectorBad) return ctx.firstSectorEnd(p, e - p);
    else single = true;
  }
  return e;
}

/** Returns the start of the last bad sector found (or s). */
async function trimBackward(ctx: RescueContext, s: number, e: number): Promise<number> {
  const ss = ctx.sector;
  let p = e;
  while (p > s) {
    // Sector-aligned, so an unaligned domain end is read as one short piece.
    const a = Math.max(s, Math.ceil(p / ss) * ss - ss);
    const n = ctx.read(a, p - a);
    await ctx.step();
    if (n === p - a) p = a;
    else {
      ctx.map.set(a, p - a, "-");
      return a;
    }
  }
  return s;
}
