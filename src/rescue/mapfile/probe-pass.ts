// Copy pass 3: the non-tried gaps left between failures after passes 1 and 2 (skips that
// landed inside bad areas). They are bisected (bisect.ts): the middle of each gap first,
// good data found there read outwards to the first bad sector, the halves next. Unlike a
// cluster-by-cluster sweep from one end (ddrescue's last copy pass), no read is made next
// to a known failure while the middle of a gap is still unknown. Gaps of `probeMin` or
// less are not probed: they become non-scraped.
import { nextWork } from "./domain.ts";
import type { RescueContext } from "./context.ts";
import { bisectRuns } from "./bisect.ts";

export async function probePass(ctx: RescueContext): Promise<void> {
  ctx.emit({ type: "phase", phase: "copying", status: "?", pass: 3, direction: "forwards", message: "Copying non-tried blocks... Pass 3 (probing)" });
  // Gaps narrower than probeMin (a cluster) are bisected with the non-scraped blocks in
  // scraping, so small islands there and inside trimmed blocks come out level by level
  // together, not one gap to the end after another.
  const minLevel = Math.max(1, Math.ceil(ctx.options.probeMin / ctx.sector));
  await bisectRuns(ctx, "?", 3, minLevel);
  // Everything still untried lies between failures: hand it to scraping.
  for (let r = nextWork(ctx.map, ctx.domain, "?", 0, 1); r; r = nextWork(ctx.map, ctx.domain, "?", r[1], 1)) {
    ctx.map.set(r[0], r[1] - r[0], "/");
  }
}
