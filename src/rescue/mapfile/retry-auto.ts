// Learned retrying, the default (`--retries auto`). Some sectors are weak: they fail a
// few times, then read. Others never read, and every attempt wears a dying drive. Only
// short bad runs are candidates (isolated defects and weak spots; the inside of a large
// solid area is never weak as a whole), in disk order. Each run is probed through its
// first bad sector, tried up to PROBE_TRIES more times; a run whose probe reads is weak
// (weak sectors come in small groups), and its other sectors are tried until they read,
// up to SECTOR_TRIES times each. Retrying stops when it does not pay: while nothing has
// read, after `probeBudget` failed retries (2 % of the candidate sectors, at least 16, or
// 3 % of the failed reads the run has paid so far if that is less, but at least 4); after that, when the failed retries exceed that budget plus 6 per sector recovered.
// A disk without weak sectors pays a few failed reads once; a disk with them gets them
// back. The map and its status line are the state: a resumed run goes on with the runs
// from the recorded position (a fresh budget), so interruptions never repeat the retries
// already made.
import type { RescueContext } from "./context.ts";

/** Longest bad run (sectors) whose sectors are retried. */
export const AUTO_MAX_RUN = 8;
const PROBE_TRIES = 2;
const SECTOR_TRIES = 4;
const BUDGET_SHARE = 0.02;
const MIN_BUDGET = 16;
/** Failed retries while nothing reads: at most this share of the run's failed reads so far... */
const FAILED_SHARE = 0.03;
/** ...but never fewer than this. */
const MIN_PROBES = 4;
const BUDGET_PER_SUCCESS = 6;

export async function autoRetryPhase(ctx: RescueContext, resumePos = 0): Promise<void> {
  const runs = shortBadRuns(ctx).filter(([, e]) => e > resumePos);
  if (runs.length === 0) return;
  ctx.emit({ type: "phase", phase: "retrying", status: "-", pass: 1, direction: "forwards", message: "Retrying short bad runs... (learned)" });
  const sectors = runs.reduce((n, [s, e]) => n + Math.ceil((e - s) / ctx.sector), 0);
  // At least a few, and no more than a small share of the failed reads this run has paid:
  // on a disk with few defects and none weak, retrying must not add much wear.
  const floor = Math.min(MIN_BUDGET, Math.max(MIN_PROBES, Math.ceil(ctx.counters.failedReads * FAILED_SHARE)));
  const budget = Math.max(floor, Math.ceil(sectors * BUDGET_SHARE));
  let failed = 0;
  let read = 0;
  const spent = () => failed >= budget + BUDGET_PER_SUCCESS * read;
  /** Try the sector at p up to `tries` times; true when it read. */
  const attempt = async (p: number, end: number, tries: number): Promise<boolean> => {
    const len = ctx.firstSectorEnd(p, end - p) - p;
    for (let t = 0; t < tries && !spent(); t++) {
      ctx.at("-", 1, p);
      const n = ctx.read(p, len);
      await ctx.step();
      if (n === len) {
        read++;
        return true;
      }
      failed++;
    }
    return false;
  };
  for (const [s, e] of runs) {
    if (spent()) return;
    const first = firstBad(ctx, s, e);
    if (first === null || !(await attempt(first, e, PROBE_TRIES))) continue;
    for (let p = first; p < e; p = ctx.firstSectorEnd(p, e - p)) {
      if (ctx.map.statusAt(p) === "-") await attempt(p, e, SECTOR_TRIES);
    }
  }
}

function firstBad(ctx: RescueContext, s: number, e: number): number | null {
  for (let p = s; p < e; p = ctx.firstSectorEnd(p, e - p)) if (ctx.map.statusAt(p) === "-") return p;
  return null;
}

/** Bad runs of at most AUTO_MAX_RUN sectors, in the domain, in disk order (a fair sample of them comes first). */
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
  return out;
}
