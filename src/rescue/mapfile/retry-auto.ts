// Learned retrying, the default (`--retries auto`). Some sectors are weak: they fail a
// few times, then read. Others never read, and every attempt wears a dying drive. Only
// short bad runs are candidates (isolated defects and weak spots; the inside of a large
// solid area is never weak as a whole). Each run is probed through its first bad sector,
// tried up to PROBE_TRIES more times; a run whose probe reads is weak (weak sectors come
// in small groups), and its other sectors are tried until they read, up to SECTOR_TRIES
// times each.
//
// Retrying stops when it does not pay, so the order of the runs matters: permanent
// defects cluster (a scratch leaves dozens of short runs in one stretch of the disk), and
// in disk order such a cluster would spend the budget before the first weak run elsewhere
// is reached. The runs are therefore taken in a fixed pseudo-random order (sampleOrder),
// so the first runs tried are a fair sample and what they show holds for the rest.
// The budget: while nothing has read, `floor` failed retries (3 % of the failed reads the
// run has paid so far, at least 4 and at most 48, or 2 % of the candidate sectors if that
// is more; after a resume, the bad sectors of the map stand for the failed reads paid). Once something has read, the disk has weak sectors: then 3 % of the failed
// reads paid so far (at least the floor) plus BUDGET_PER_SUCCESS per sector recovered.
// A disk without weak sectors pays a few failed reads once; a disk with them gets them
// back. The map and its status line are the state: the position is the start of the run
// being retried, and a resumed run goes on with the runs after it in the same order, so
// interruptions never repeat the retries already made; the budget and what it has paid
// are saved beside the map (learned-state.ts), so they do not start afresh either (a fresh
// budget when that file is missing).
import type { RescueContext } from "./context.ts";

/** Longest bad run (sectors) whose sectors are retried. */
export const AUTO_MAX_RUN = 8;
const PROBE_TRIES = 2;
const SECTOR_TRIES = 4;
const BUDGET_SHARE = 0.02;
/**
 * Failed retries at most while nothing has read: 24 runs probed twice. The runs come as a
 * fair sample, so where one short run in five is weak, all 24 fail with odds of 1 in 200.
 */
const MAX_BLIND_RETRIES = 48;
/** Failed retries while nothing reads: at most this share of the run's failed reads so far... */
const FAILED_SHARE = 0.03;
/** ...but never fewer than this. */
const MIN_PROBES = 4;
const BUDGET_PER_SUCCESS = 6;

export async function autoRetryPhase(ctx: RescueContext, resumePos?: number): Promise<void> {
  const runs = sampleOrder(shortBadRuns(ctx), ctx.sector, resumePos);
  if (runs.length === 0) return;
  ctx.emit({ type: "phase", phase: "retrying", status: "-", pass: 1, direction: "forwards", message: "Retrying short bad runs... (learned)" });
  const saved = ctx.resumeRetry;
  ctx.resumeRetry = null;
  // The budget and what it has paid: as saved beside the map when this run resumes exactly
  // where that was (learned-state.ts), so an interruption does not grant a fresh budget.
  const b: RetryBudget = saved !== null && saved.pos === resumePos ? budgetOf(saved) : freshBudget(ctx, runs);
  ctx.retry = b;
  const spent = () => b.failed >= (b.read > 0 ? b.proven : b.budget) + BUDGET_PER_SUCCESS * b.read;
  /** Try the sector at p up to `tries` times; true when it read. */
  const attempt = async (p: number, end: number, tries: number): Promise<boolean> => {
    const len = ctx.firstSectorEnd(p, end - p) - p;
    for (let t = 0; t < tries && !spent(); t++) {
      const n = ctx.read(p, len);
      await ctx.step();
      if (n === len) {
        b.read++;
        return true;
      }
      b.failed++;
    }
    return false;
  };
  for (const [s, e] of runs) {
    if (spent()) break;
    ctx.at("-", 1, s);
    const first = firstBad(ctx, s, e);
    if (first === null || !(await attempt(first, e, PROBE_TRIES))) continue;
    for (let p = first; p < e; p = ctx.firstSectorEnd(p, e - p)) {
      if (ctx.map.statusAt(p) === "-") await attempt(p, e, SECTOR_TRIES);
    }
  }
  // Only when the phase is over: a stop leaves it in place for the map's final save.
  ctx.retry = null;
}

/** Learned retrying's budget (failed retries allowed) and what it has paid so far. */
export interface RetryBudget {
  /** Failed retries allowed while nothing has read... */
  budget: number;
  /** ...and once something has read (plus BUDGET_PER_SUCCESS per sector read). */
  proven: number;
  failed: number;
  read: number;
}

/** The budget alone, without the position it was saved at (each save names its own). */
function budgetOf({ budget, proven, failed, read }: RetryBudget): RetryBudget {
  return { budget, proven, failed, read };
}

function freshBudget(ctx: RescueContext, runs: Array<[number, number]>): RetryBudget {
  const sectors = runs.reduce((n, [s, e]) => n + Math.ceil((e - s) / ctx.sector), 0);
  // At least a few, and no more than a small share of the failed reads this run has paid:
  // on a disk with few defects and none weak, retrying must not add much wear.
  // The failed reads paid so far: this run's count, or after a resume (a new count) at
  // least one per sector the map has marked bad.
  const paid = Math.ceil(Math.max(ctx.counters.failedReads, ctx.map.totals()["-"] / ctx.sector) * FAILED_SHARE);
  const floor = Math.min(MAX_BLIND_RETRIES, Math.max(MIN_PROBES, paid));
  const budget = Math.max(floor, Math.ceil(sectors * BUDGET_SHARE));
  // Once a retry has read, weak sectors are known to be there: the full share applies.
  return { budget, proven: Math.max(budget, paid), failed: 0, read: 0 };
}

function firstBad(ctx: RescueContext, s: number, e: number): number | null {
  for (let p = s; p < e; p = ctx.firstSectorEnd(p, e - p)) if (ctx.map.statusAt(p) === "-") return p;
  return null;
}

/**
 * The runs in sample order: by a hash of their start sector (a fixed pseudo-random
 * permutation: any prefix is a fair sample of all the runs, clusters included), then by
 * position. The key depends on the position only, so a resumed run computes the same
 * order. After a resume at `resume` (the start of the run that was being retried): the
 * runs after it in that order; a run starting within AUTO_MAX_RUN sectors after `resume`
 * is the rest of the interrupted one (its first sectors may have read since), taken first.
 */
export function sampleOrder(runs: Array<[number, number]>, sector: number, resume?: number): Array<[number, number]> {
  const keyed = runs.map((r) => ({ r, k: mix(Math.floor(r[0] / sector)), p: r[0] }));
  const after = (x: { k: number; p: number }, y: { k: number; p: number }) => x.k - y.k || x.p - y.p;
  keyed.sort(after);
  if (resume === undefined) return keyed.map((x) => x.r);
  const at = { k: mix(Math.floor(resume / sector)), p: resume };
  const interrupted = (x: { p: number }) => x.p >= resume && x.p < resume + AUTO_MAX_RUN * sector;
  return [...keyed.filter(interrupted), ...keyed.filter((x) => !interrupted(x) && after(x, at) >= 0)].map((x) => x.r);
}

/** A 32-bit integer hash (an avalanche mix of the low 53 bits): neighbours land far apart. */
function mix(v: number): number {
  let h = (v ^ Math.floor(v / 2 ** 32)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Bad runs of at most AUTO_MAX_RUN sectors, in the domain, in disk order. */
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
