// Copy passes 3 and 4: the non-tried gaps left between failures after passes 1 and 2
// (skips that landed inside bad areas, or jumped over good data into the next one). They
// are bisected (bisect.ts): the middle of each gap first, good data found there read
// outwards to the first bad sector, the halves next. Unlike a cluster-by-cluster sweep
// from one end (ddrescue's last copy pass), no read is made next to a known failure while
// the middle of a gap is still unknown.
// Pass 3 runs before trimming and probes only wide gaps: wider than twice any bad area pass 1
// measured recently (and at least EARLY_CLUSTERS clusters). A gap that wide between two
// failures must hold good data (a skip that jumped from one bad area into the next), worth
// more than the edges of the bad areas; narrower ones are likely the inside of one area.
// Pass 4 runs after
// trimming and probes gaps down to `probeMin`; narrower ones become non-scraped and are
// bisected with the other non-scraped blocks in scraping, so small islands there and inside
// trimmed blocks come out level by level together.
import { nextWork } from "./domain.ts";
import type { RescueContext } from "./context.ts";
import { bisectRuns } from "./bisect.ts";

/** Gaps at least this many clusters wide are probed before trimming. */
const EARLY_CLUSTERS = 4;

export async function probePass(ctx: RescueContext, pass: 3 | 4): Promise<void> {
  const when = pass === 3 ? "wide gaps" : "probing";
  ctx.emit({ type: "phase", phase: "copying", status: "?", pass, direction: "forwards", message: `Copying non-tried blocks... Pass ${pass} (${when})` });
  const minBytes = pass === 3 ? Math.max(EARLY_CLUSTERS * ctx.options.cluster, 2 * ctx.largestArea) : ctx.options.probeMin;
  await bisectRuns(ctx, "?", pass, Math.max(1, Math.ceil(minBytes / ctx.sector)));
  if (pass === 3) return;
  // Everything still untried lies between failures: hand it to scraping. Over the whole map
  // in place (a million areas leave a million gaps); a partial domain extent by extent.
  const [first] = ctx.domain.ranges;
  if (ctx.domain.ranges.length === 1 && first![0] === 0 && first![1] >= ctx.map.end) return ctx.map.relabel("?", "/");
  for (let r = nextWork(ctx.map, ctx.domain, "?", 0, 1); r; r = nextWork(ctx.map, ctx.domain, "?", r[1], 1)) {
    ctx.map.set(r[0], r[1] - r[0], "/");
  }
}
