// Time to data: from a run's read record (read-record.ts) and the damage model, when each
// readable byte was first recovered. A byte counts at the virtual end time of the first
// successful read that returned it, and only if the model says it is readable (not in a
// bad extent; weak and slow sectors are readable). Memory grows with the number of
// recovered ranges (an interval set), never with the disk size or the number of reads.
import { IntervalSet } from "./interval-set.ts";
import type { DamageModel } from "./model.ts";
import { readRecordHeader, readRecords, recordFlags, type ReadRecord } from "./read-record.ts";

/** The reported fractions of the readable bytes, and their keys. */
export const milestones = [
  ["90", 0.9],
  ["99", 0.99],
  ["99.9", 0.999],
  ["100", 1],
] as const;
export type Milestone = (typeof milestones)[number][0];

export interface Curve {
  label: string;
  /** Simulated size, and the bytes of it that are readable (not bad). */
  size: number;
  readableBytes: number;
  recoveredBytes: number;
  missedBytes: number;
  reads: number;
  /** Reads in which a sector failed (EIO, or stopped short at the failing sector). */
  errorReads: number;
  /** Reads that failed with EIO. */
  failedReads: number;
  /** Virtual seconds of the whole run (end of its last read). */
  totalSeconds: number;
  /** Virtual seconds until each milestone fraction of the readable bytes was recovered; null = never. */
  t: Record<Milestone, number | null>;
  /** Error reads made until the last readable byte was recovered (all of them if it never was). */
  errorReadsBefore100: number;
  /** With a budget ("the drive died after N seconds"): readable bytes recovered by then. */
  budget: { seconds: number; recoveredBytes: number; missedBytes: number } | null;
  /** [virtual seconds, recovered bytes], thinned to a few thousand points for plotting. */
  points: [number, number][];
}

export interface CurveOptions {
  label: string;
  budgetSeconds?: number;
  /** Only these byte ranges count ([start, end), sorted, disjoint): e.g. the used space of
   *  the filesystems (`salvage map used`), for "time until all used data is recovered". */
  domain?: readonly (readonly [number, number])[];
}

const EINVAL = 22;

export function computeCurve(model: DamageModel, recordPath: string, o: CurveOptions): Curve {
  const size = readRecordHeader(recordPath).deviceSize;
  let ordered = true;
  let lastEnd = 0;
  const curve = scan(model, size, o, (visit) =>
    readRecords(recordPath, (r) => {
      if (r.endNs < lastEnd) ordered = false;
      lastEnd = r.endNs;
      visit(r);
    }),
  );
  if (ordered) return curve;
  // Processes or threads reading at once may append a record after a later one: replay in
  // the order of virtual end time (this needs all records in memory; it is the rare case).
  const all: ReadRecord[] = [];
  readRecords(recordPath, (r) => void all.push({ ...r }));
  all.sort((x, y) => x.endNs - y.endNs);
  return scan(model, size, o, (visit) => all.forEach(visit));
}

/** The model's bad bytes (and the bytes outside the domain), as an interval set pre-filled
 *  with them: a read can then never count a byte there as recovered (a record made on
 *  another disk still scores right). */
function unreadable(model: DamageModel, size: number, domain?: CurveOptions["domain"]): IntervalSet {
  const set = new IntervalSet();
  const ss = model.sectorSize;
  for (const e of model.extents) if (e.kind === "bad") set.add(Math.min(size, e.first * ss), Math.min(size, (e.first + e.count) * ss));
  if (domain) {
    let at = 0;
    for (const [a, b] of domain) {
      set.add(at, Math.min(size, a));
      at = Math.max(at, b);
    }
    set.add(at, size);
  }
  return set;
}

function scan(model: DamageModel, size: number, o: CurveOptions, feed: (visit: (r: ReadRecord) => void) => void): Curve {
  const covered = unreadable(model, size, o.domain);
  const readable = size - covered.covered;
  const t: Curve["t"] = { "90": null, "99": null, "99.9": null, "100": null };
  const budgetNs = o.budgetSeconds === undefined ? null : o.budgetSeconds * 1e9;
  const points = new Thinner(readable);
  let reads = 0, errorReads = 0, failedReads = 0, errorsBefore100 = 0, endNs = 0, recovered = 0, atBudget = 0;
  let next = 0; // the next milestone not reached yet
  if (readable === 0) for (const [k] of milestones) t[k] = 0;
  feed((r) => {
    reads++;
    endNs = Math.max(endNs, r.endNs);
    if (r.flags & recordFlags.error) {
      errorReads++;
      if (t["100"] === null) errorsBefore100++;
    }
    if (r.result < 0 && r.result !== -EINVAL) failedReads++;
    if (r.result > 0) {
      const added = covered.add(Math.min(r.offset, size), Math.min(size, r.offset + r.result));
      if (added > 0) {
        recovered += added;
        points.add(r.endNs / 1e9, recovered);
        while (next < milestones.length && recovered >= milestones[next]![1] * readable) t[milestones[next++]![0]] = r.endNs / 1e9;
      }
    }
    if (budgetNs !== null && r.endNs <= budgetNs) atBudget = recovered;
  });
  return {
    label: o.label,
    size,
    readableBytes: readable,
    recoveredBytes: recovered,
    missedBytes: readable - recovered,
    reads,
    errorReads,
    failedReads,
    totalSeconds: endNs / 1e9,
    t,
    errorReadsBefore100: errorsBefore100,
    budget: budgetNs === null ? null : { seconds: o.budgetSeconds!, recoveredBytes: atBudget, missedBytes: readable - atBudget },
    points: points.done(endNs / 1e9, recovered),
  };
}

/** Keeps a point when the bytes grew by 1/4000 of the readable bytes or the time by 2 %
 *  since the last kept one, and the point before any kept one, so plateaus keep their corners. */
class Thinner {
  private out: [number, number][] = [[0, 0]];
  private prev: [number, number] | null = null;
  constructor(private readable: number) {}

  add(sec: number, bytes: number): void {
    const last = this.out[this.out.length - 1]!;
    if (bytes - last[1] >= this.readable / 4000 || sec > last[0] * 1.02 + 1e-6) {
      if (this.prev && this.prev !== last && sec > this.prev[0] * 1.02 + 1e-6) this.out.push(this.prev);
      this.out.push([sec, bytes]);
    }
    this.prev = [sec, bytes];
  }

  done(sec: number, bytes: number): [number, number][] {
    const last = this.out[this.out.length - 1]!;
    if (this.prev && this.prev[1] !== last[1]) this.out.push(this.prev);
    if (sec > this.out[this.out.length - 1]![0]) this.out.push([sec, bytes]);
    return this.out;
  }
}
