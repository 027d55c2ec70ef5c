// Bisection sampling of unresolved runs: the probe pass (non-tried gaps left between
// failures) and scraping (non-scraped interiors of failed blocks) both use it.
//
// Bad sectors come in runs, so the sector farthest from any known one is the likeliest to
// be readable: each level reads the middle of every run at least `level` sectors long,
// largest level first. A good middle is read outwards both ways to the first bad sector
// (read-on.ts). Every sector is still read at most once and every failed single-sector
// read classifies a sector, so this costs no more failed reads than a sweep from one end;
// it only finds readable islands inside damaged areas long before the sweep would.
// Interrupted and resumed, it starts again at the largest level the map still has: the
// runs themselves are the state.
import { nextWork } from "./domain.ts";
import type { RescueContext } from "./context.ts";
import { readOnBackward, readOnForward } from "./read-on.ts";
import type { BlockStatus } from "./status.ts";

export async function bisectRuns(ctx: RescueContext, status: BlockStatus, pass: number, minLevel = 1): Promise<void> {
  const ss = ctx.sector;
  for (let level = highestLevel(ctx, status); level >= minLevel; level = Math.floor(level / 2)) {
    let pos = 0;
    for (let r = nextWork(ctx.map, ctx.domain, status, pos, 1); r; r = nextWork(ctx.map, ctx.domain, status, pos, 1)) {
      const [s, e] = r;
      pos = e;
      if (Math.ceil((e - s) / ss) < level) continue;
      const mid = Math.max(s, Math.floor((s + (e - s) / 2) / ss) * ss);
      // One sector, unless a failed read classifies its first sector anyway (a source that
      // reports errors per sector): then a cluster, which reads a whole island at once.
      // Without scraping, gaps are probed quickly with clusters, as ddrescue -n would.
      const wide = ctx.perSectorErrors || ctx.options.noScrape;
      const len = wide ? Math.min(ctx.options.cluster, e - mid) : ctx.firstSectorEnd(mid, e - mid) - mid;
      ctx.at(status, pass, mid);
      const n = ctx.read(mid, len);
      await ctx.step();
      // A failed probe classified its sector (read() marked it), or, failing whole, leaves its
      // span to scraping; the halves come at the next level.
      if (n <= 0) {
        const from = ctx.firstSectorBad ? ctx.firstSectorEnd(mid, len) : mid;
        if (wide && mid + len > from) ctx.map.set(from, mid + len - from, "/");
        continue;
      }
      // Good data in the middle: read on both ways to the first bad sector.
      if (n === len || !ctx.stopSectorBad) await readOnForward(ctx, mid + n, e);
      await readOnBackward(ctx, mid, s);
    }
  }
}

/** Largest power of two not above the longest run (in sectors) with this status. */
function highestLevel(ctx: RescueContext, status: BlockStatus): number {
  let longest = 0;
  for (let r = nextWork(ctx.map, ctx.domain, status, 0, 1); r; r = nextWork(ctx.map, ctx.domain, status, r[1], 1)) {
    longest = Math.max(longest, Math.ceil((r[1] - r[0]) / ctx.sector));
  }
  let level = 1;
  while (level * 2 <= longest) level *= 2;
  return longest === 0 ? 0 : level;
}
