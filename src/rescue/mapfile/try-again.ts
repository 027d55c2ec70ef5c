// ddrescue's -A (--try-again) and -M (--retrim): before a run, send failed areas of the
// domain back to an earlier phase, for a drive that stopped answering and made a run
// mark good areas as failed, or to try bad sectors again in trimming's order.
import { nextWork, type Domain } from "./domain.ts";
import type { StatusMap } from "./status-map.ts";
import type { BlockStatus } from "./status.ts";

/**
 * -A: non-trimmed and non-scraped become non-tried; with -M too, bad sectors as well.
 * -M alone: every failed area (non-scraped, bad sector) becomes non-trimmed, as ddrescue
 * 1.27 does. Only inside the domain. Returns the bytes relabelled: when any, the run must start again from copying, whatever the status line
 * said (the relabelled areas belong to an earlier phase than the one it names).
 */
export function markForRetry(map: StatusMap, domain: Domain, tryAgain: boolean, retrim: boolean): number {
  if (!tryAgain && !retrim) return 0;
  const from = tryAgain ? (retrim ? "*/-" : "*/") : "/-";
  const to: BlockStatus = tryAgain ? "?" : "*";
  let moved = 0;
  for (let r = nextWork(map, domain, from, 0, 1); r; r = nextWork(map, domain, from, r[1], 1)) {
    map.set(r[0], r[1] - r[0], to);
    moved += r[1] - r[0];
  }
  return moved;
}
