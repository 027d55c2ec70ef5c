// Learned retrying, the default (`--retries auto`). Some sectors are weak: they fail a
// few times, then read. Others never read, and every attempt wears a dying drive. So:
// retry only short bad runs (isolated defects and weak spots; the inside of a large
// solid area is never weak as a whole), shortest first, for up to AUTO_PASSES passes,
// within a budget of failed retries: 5 % of the failed reads of the run so far (at least
// 8), plus 2 for every retry that read. A disk without weak sectors pays those few
// failed reads once; on a disk with them, retrying goes on as long as it pays.
// The passes and the order derive from the map, so a resumed run just starts over.
import type { RescueContext } from "./context.ts";

export const AUTO_PASSES = 3;
/** Longest bad run (sectors) whose sectors are retried. */
export const AUTO_MAX_RUN = 8;
const BUDGET_SHARE = 0.05;
const MIN_BUDGET = 8;
const BUDGET_PER_SUCCESS = 2;

export async function autoRetryPhase(ctx: RescueContext, firstPass = 1): Promise<void> {
  const base = Math.max(MIN_BUDGET, Math.ceil(ctx.counters.failedReads * BUDGET_SHARE));
  let failed = 0;
  let read = 0;
  for (let pass = firstPass; pass <= AUTO_PASSES; pass++) {
    const runs = shortBadRuns(ctx);
    if (runs.length === 0) return;
    ctx.emit({ type: "phase", phase: "retrying", status: "-", pass, direction: "forwards", message: `Retrying short bad runs... Retry ${pass} (learned)` });
    for (const [s, e] of runs) {
      for (let p = s; p < e; p = ctx.firstSectorEnd(p, e - p)) {
        if (ctx.map.statusAt(p) !== "-") continue;
        ctx.at("-", pass, p);
        const len = ctx.firstSectorEnd(p, e - p) - p;
        const n = ctx.read(p, len);
        await ctx.step();
        if (n === len) read++;
        else if (++failed >= base + BUDGET_PER_SUCCESS * read) return;
      }
    }
  }
}

/** Bad runs of at most AUTO_MAX_RUN sectors, in the domain, shortest first. */
function shortBadRuns(ctx: RescueContext): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const max = AUTO_MAX_RUN * ctx.sector;
  for (let i = 0; i < ctx.map.count; i++) {
    if (ctx.map.statusOf(i) !== "-") continue;
    const s = ctx.map.startOf(i);
    const e = ctx.map.endOf(i);
    if (e - s > max) continue;
    const r = ctx.domain.clip(s, e, 1);
    if (r) out.push(r);
  }
  return out.sort((a, b) => a[1] - a[0] - (b[1] - b[0]) || a[0] - b[0]);
}
