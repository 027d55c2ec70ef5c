// What the engine learned about the drive, kept beside the map (MAP.learned, JSON) so that a
// restarted rescue goes on knowing it. The map says what is where. It cannot say that this
// drive returns partial reads, what a failed read costs, how large its bad areas are, that
// pass 1 was three failures into an area with a skip of 512 KiB, or how much of its budget
// learned retrying has spent. Without it a restart learned all that again from new failures,
// and retrying got a fresh budget: in the lab, one interruption in pass 1 made the
// failing-head disk reach 90 % at 32.7 s instead of 19.2 s.
//
// The file is a hint, never needed: a missing, damaged or foreign one (another drive size,
// another sector size) is ignored and the run learns as before. Pass 1's own state is used
// only when the map's status line is exactly where it was saved, so a map continued by
// ddrescue, or saved at another moment than the file, takes none of it; the same for the
// retry budget.
import type { Direction } from "./domain.ts";
import type { LearnerState } from "./damage-learner.ts";
import { REMEMBERED_AREAS } from "./damage-learner.ts";
import type { PassRun } from "./skipping-pass.ts";
import type { RetryBudget } from "./retry-auto.ts";
import type { StatusLine } from "./status.ts";
import type { RescueContext } from "./context.ts";

export interface LearnedState {
  version: 1;
  /** The drive it was learned on: size and sector size in bytes. */
  size: number;
  sector: number;
  partialReads: boolean;
  perSectorErrors: boolean;
  /** What a failed read costs, ms (0: none timed). */
  failMs: number;
  largestArea: number;
  /** Copy pass 1 in progress at the status line's position, or null. */
  pass1: SavedPass1 | null;
  /** Learned retrying in progress at the status line's position, or null. */
  retry: SavedRetry | null;
}

export interface SavedRetry extends RetryBudget {
  pos: number;
}

export interface SavedPass1 {
  pos: number;
  dir: Direction;
  learner: LearnerState;
  run: PassRun;
}

/** The file beside the map. */
export const learnedPath = (mapPath: string) => `${mapPath}.learned`;

/** What `ctx` knows now, with the status line it belongs to. */
export function learnedState(ctx: RescueContext): LearnedState {
  const p = ctx.pass1;
  const inPass1 = p !== null && ctx.current.status === "?" && ctx.current.pass === 1;
  return {
    version: 1,
    size: ctx.map.end,
    sector: ctx.sector,
    partialReads: ctx.partialReads,
    perSectorErrors: ctx.perSectorErrors,
    failMs: ctx.failMs,
    largestArea: ctx.largestArea,
    pass1: inPass1 ? { pos: ctx.current.pos, dir: p.dir, learner: p.learner.state(), run: { ...p.run } } : null,
    retry: ctx.retry !== null && ctx.current.status === "-" ? { ...ctx.retry, pos: ctx.current.pos } : null,
  };
}

/** Take what `s` knows into a new context; pass 1's state only for a run resumed exactly at its position. */
export function restoreLearned(ctx: RescueContext, s: LearnedState, resume: StatusLine | undefined): void {
  ctx.partialReads ||= s.partialReads;
  ctx.perSectorErrors ||= s.perSectorErrors;
  if (ctx.failMs === 0) ctx.failMs = s.failMs;
  ctx.largestArea = Math.max(ctx.largestArea, s.largestArea);
  const p = s.pass1;
  if (p && resume?.status === "?" && resume.pass === 1 && resume.pos === p.pos) ctx.resumePass1 = p;
  const r = s.retry;
  if (r && resume?.status === "-" && resume.pos === r.pos) ctx.resumeRetry = r;
}

/** The largest file taken: a saved state is a few hundred bytes. */
export const LEARNED_MAX_BYTES = 16384;

/**
 * Parse and check a saved state (hostile input: any file may lie there). Returns the state,
 * or why it is not used.
 */
export function parseLearned(text: string, size: number, sector: number): LearnedState | string {
  if (text.length > LEARNED_MAX_BYTES) return "too large";
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  const o = v as Record<string, unknown>;
  if (!isObject(o) || o.version !== 1) return "unknown version";
  if (o.size !== size || o.sector !== sector) return "learned on another drive (size or sector size differ)";
  if (typeof o.partialReads !== "boolean" || typeof o.perSectorErrors !== "boolean") return "damaged";
  if (!isCount(o.failMs, 3_600_000) || !isCount(o.largestArea, size)) return "damaged";
  if (o.pass1 !== null && !isPass1(o.pass1, size)) return "damaged";
  if (o.retry !== null && !isRetry(o.retry, size)) return "damaged";
  return o as unknown as LearnedState;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A finite number in [0, max]. */
function isCount(v: unknown, max: number): v is number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= max;
}

function isRetry(v: unknown, size: number): boolean {
  return isObject(v) && isCount(v.pos, size) && [v.budget, v.proven, v.failed, v.read].every((x) => isCount(x, Number.MAX_SAFE_INTEGER));
}

function isPass1(v: unknown, size: number): boolean {
  if (!isObject(v) || !isCount(v.pos, size) || (v.dir !== 1 && v.dir !== -1)) return false;
  const r = v.run, l = v.learner;
  if (!isObject(r) || !isObject(l)) return false;
  const pos = (x: unknown) => isCount(x, size);
  const list = (x: unknown) => Array.isArray(x) && x.length <= REMEMBERED_AREAS && x.every(pos);
  const runOk = (r.contact === null || pos(r.contact)) && isCount(r.failures, 1e12) && pos(r.reached) && pos(r.skip) && typeof r.nextToDefect === "boolean" && (r.landing === null || pos(r.landing)) && (r.refining === null || pos(r.refining));
  const counts = [l.rate, l.samples, l.measured, l.adjacentReads, l.adjacentFailures].every((x) => isCount(x, Number.MAX_SAFE_INTEGER));
  const learnerOk = pos(l.start) && list(l.areas) && list(l.reaches) && (l.areas as unknown[]).length === (l.reaches as unknown[]).length
    && (l.lastContact === null || pos(l.lastContact)) && (l.spacing === null || pos(l.spacing)) && counts;
  return runOk && learnerOk;
}
