// Copy pass 3: untried gaps left between failures after passes 1 and 2. Each gap wider
// than `probeMin` is probed in its middle: good data found there is read on both ways up
// to the first error, and the gaps left on either side are probed the same way. Unlike a
// cluster-by-cluster sweep from one end (ddrescue's last copy pass), a probe never reads
// next to a failure first, so good data between two bad spots is found with one failed
// read at most. Gaps no wider than `probeMin` go to scraping (sector by sector).
import { nextWork, type Direction } from "./domain.ts";
import type { RescueContext } from "./context.ts";
import { chunkAt, copyChunk } from "./copy-phase.ts";

export async function probePass(ctx: RescueContext, resume?: number): Promise<void> {
  const c = ctx.options.cluster;
  let pos = resume ?? 0;
  for (;;) {
    const r = nextWork(ctx.map, ctx.domain, "?", pos, 1);
    if (!r) break;
    const [s, e] = r;
    if (e - s <= ctx.options.probeMin) {
      pos = e;
      continue;
    }
    pos = s; // the sub-gaps of this gap come next
    const mid = Math.max(s, Math.floor((s + (e - s) / 2) / c) * c);
    const [a, b] = chunkAt(ctx, mid, 1, s, e);
    ctx.at("?", 3, a);
    const ok = copyChunk(ctx, a, b);
    await ctx.step();
    if (!ok) continue;
    await extend(ctx, b, e, 1);
    await extend(ctx, a, s, -1);
  }
  // Everything still untried lies between failures: hand it to scraping.
  for (let r = nextWork(ctx.map, ctx.domain, "?", 0, 1); r; r = nextWork(ctx.map, ctx.domain, "?", r[1], 1)) {
    ctx.map.set(r[0], r[1] - r[0], "/");
  }
}

/** Read on from a good chunk towards `limit` until the first error. */
async function extend(ctx: RescueContext, from: number, limit: number, dir: Direction): Promise<void> {
  let pos = from;
  while (dir > 0 ? pos < limit : pos > limit) {
    const [a, b] = dir > 0 ? chunkAt(ctx, pos, 1, pos, limit) : chunkAt(ctx, pos, -1, limit, pos);
    ctx.at("?", 3, dir > 0 ? a : b);
    const ok = copyChunk(ctx, a, b);
    await ctx.step();
    if (!ok) return;
    pos = dir > 0 ? b : a;
  }
}
