// What the engine tells the outside world. The engine never prints; sinks (progress
// renderer, JSON lines, logs) subscribe to these.
import type { PhaseStatus } from "./status.ts";

export type PhaseName = "copying" | "trimming" | "scraping" | "retrying" | "finished";

export type RescueEvent =
  | { type: "phase"; phase: PhaseName; status: PhaseStatus; pass: number; direction: "forwards" | "backwards"; message: string }
  | { type: "read"; pos: number; size: number; result: number; ms: number }
  | { type: "stop"; reason: string }
  | { type: "finished"; message: string };

/** Running totals of this run (not of the whole rescue, which the map holds). */
export interface RescueCounters {
  reads: number;
  failedReads: number;
  /** Reads that returned fewer bytes than asked, before the end (ran into damage). */
  shortReads: number;
  bytesRead: number;
  slowReads: number;
  startedAt: number;
  /** Time of the last successful read, or of the start. */
  lastGoodAt: number;
}
