// `salvage rescue --json`: one JSON object per line on stdout, documented field by field in
// docs/events.md (the test validates every event a run writes against those tables, so the
// two cannot drift apart). A program reading the stream checks `schema` in the start event.
import type { PhaseName } from "../../rescue/mapfile/events.ts";
import type { Remaining } from "./rate.ts";
import type { StatusFigures } from "./status-layout.ts";

/** Bumped when a field changes meaning or goes away; new fields do not bump it. */
export const EVENTS_SCHEMA = 1;

export interface Totals {
  domain: number;
  rescued: number;
  pct: number;
  nonTried: number;
  nonTrimmed: number;
  nonScraped: number;
  badSector: number;
  badAreas: number;
}

/** What the start of a run says about itself (the start event, the greeting). */
export interface StartInfo {
  version: string;
  source: string;
  destination: string;
  mapfile: string;
  sourceSize: number;
  sectorSize: number;
  resumed: boolean;
  options: Record<string, unknown>;
}

export type JsonEvent =
  | ({ event: "start"; schema: number; program: "salvage"; initial: Totals } & StartInfo)
  | { event: "phase"; phase: PhaseName; pass: number; direction: "forwards" | "backwards"; message: string }
  | { event: "read-error"; pos: number; size: number; errno: number }
  | ({ event: "status"; remaining: Remaining & { text: string }; phase: string } & Omit<StatusFigures, "remainingShort"> & Totals)
  | {
      event: "finished";
      outcome: "finished" | "interrupted" | "stopped";
      reason: string | null;
      message: string;
      exitCode: number;
      readErrors: number;
      runTimeS: number;
      resume: string | null;
      totals: Totals;
    }
  | { event: "stage"; stage: "metadata" | "used" | "free"; index: number; count: number; domainBytes: number; usedBytes: number | null; usedDone: number | null }
  | { event: "note"; message: string }
  | { event: "error"; message: string; exitCode: number };
