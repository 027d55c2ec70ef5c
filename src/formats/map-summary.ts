// `salvage map show --json`: the summary of a mapfile for scripts. Sizes are bytes (exact
// integers), statuses are keyed by their names as well as ddrescue's characters are
// given, and `done` answers ddrescuelog -D's question (every byte finished).
import type { LoadedMap } from "./mapfile-load.ts";
import { blockStatuses, statusNames, type BlockStatus } from "../rescue/mapfile/status.ts";

export interface MapSummary {
  mapfile: string;
  size: number;
  blocks: number;
  current: { pos: number; status: string; pass: number };
  /** Per status name: bytes and separate areas (ddrescuelog -t's "in N area(s)"). */
  statuses: Record<string, { char: BlockStatus; bytes: number; areas: number }>;
  badAreas: number;
  done: boolean;
}

export function mapSummaryJson(mapfile: string, m: LoadedMap): MapSummary {
  const totals = m.map.totals();
  const statuses: MapSummary["statuses"] = {};
  for (const s of blockStatuses) statuses[statusNames[s]] = { char: s, bytes: totals[s], areas: m.map.runsOf(s) };
  return {
    mapfile,
    size: m.map.end,
    blocks: m.map.count,
    current: { pos: m.current.pos, status: m.current.status, pass: m.current.pass },
    statuses,
    badAreas: m.map.badAreas(),
    done: totals["+"] === m.map.end,
  };
}
