// Scraping: read every non-scraped sector once, by bisection (bisect.ts), so readable
// islands inside damaged areas come out before the solid parts are swept.
// Retrying with a given number of passes: each bad sector once per pass, direction
// alternating (ddrescue -r). The default, learned retrying, is in retry-auto.ts.
import { nextWork, type Direction } from "./domain.ts";
import type { RescueContext } from "./context.ts";
import { bisectRuns } from "./bisect.ts";
import type { BlockStatus } from "./status.ts";

export async function scrapePhase(ctx: RescueContext): Promise<void> {
  ctx.emit({ type: "phase", phase: "scraping", status: "/", pass: 1, direction: "forwards", message: "Scraping failed blocks... (bisecting)" });
  await bisectRuns(ctx, "/", 1);
}

/** Retrying: each bad sector once per pass, direction alternating. */
export async function retryPhase(ctx: RescueContext, firstPass = 1, resume?: number): Promise<void> {
  const retries = ctx.options.retries as number;
  for (let pass = firstPass; retries < 0 || pass <= retries; pass++) {
    if (!nextWork(ctx.map, ctx.domain, "-", 0, 1)) break;
    // Direction alternating, or always the main one with --unidirectional.
    const odd = pass % 2 === 1 || ctx.options.unidirectional;
    const dir: Direction = odd !== ctx.options.reverse ? 1 : -1;
    ctx.emit({ type: "phase", phase: "retrying", status: "-", pass, direction: dir > 0 ? "forwards" : "backwards", message: `Retrying bad sectors... Retry ${pass} (${dir > 0 ? "forwards" : "backwards"})` });
    await sectorSweep(ctx, "-", pass, dir, pass === firstPass ? resume : undefined);
  }
}

async function sectorSweep(ctx: RescueContext, status: BlockStatus, pass: number, dir: Direction, resume?: number): Promise<void> {
  const ss = ctx.sector;
  let pos = resume ?? (dir > 0 ? 0 : ctx.map.end);
  let single = true;
  for (;;) {
    const r = nextWork(ctx.map, ctx.domain, status, pos, dir);
    if (!r) break;
    const [s, e] = r;
    let a: number;
    let b: number;
    if (dir > 0) {
      a = Math.max(pos, s);
      // Large reads only straight on from good data (a new block may start on a bad
      // sector, which a large read fails on without classifying it), or always when a
      // failed read classifies its first sector anyway.
      if (a !== pos) single = true;
      const large = ctx.perSectorErrors || (!single && ctx.partialReads);
      b = large ? Math.min(e, a + ctx.options.cluster) : ctx.firstSectorEnd(a, e - a);
    } else {
      b = Math.min(pos, e);
      a = Math.max(s, Math.ceil(b / ss) * ss - ss);
    }
    ctx.at(status, pass, dir > 0 ? a : b);
    const n = ctx.read(a, b - a);
    if (n === b - a) {
      // Straight on with large reads, unless this block ended here.
      single = b === e;
      pos = dir > 0 ? b : a;
    } else if (n > 0) {
      single = true;
      if (dir < 0) ctx.map.set(a + n, b - a - n, "-");
      pos = dir > 0 ? (ctx.stopSectorBad ? ctx.firstSectorEnd(a + n, b - a - n) : a + n) : a;
    } else {
      single = true;
      // read() marked the sector bad if this read proved it; otherwise retry it alone.
      if (ctx.firstSectorBad) pos = dir > 0 ? ctx.firstSectorEnd(a, b - a) : a;
      else pos = a;
    }
    await ctx.step();
  }
}
