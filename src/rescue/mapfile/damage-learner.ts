// What copy pass 1 learns about the damage as it goes, and what it does with it:
// - the size of the bad areas met (measured when a skip lands on good data and the
//   stretch back is read up to its first error): the first skip after a new failure is
//   the smallest of the last few, so one failure per area usually suffices to jump past
//   it. The smallest, not the largest: defects close together measure as one large area.
// - the spacing of failures: where they come close together (a scratch crossing every
//   track), reads shrink to 1/DENSITY_SHARE of it, so each failed read leaves less
//   readable data behind in its non-trimmed block; on a long good stretch they grow back.
// - the drive's normal read rate: a read far slower than it (a struggling area) counts
//   as slow, and pass 1 skips ahead as after an error, leaving the slow area for later
//   passes, as ddrescue does with `-a` (here without being asked; --min-read-rate sets
//   a fixed rate instead).
// - a long stretch without any error: reads grow to `healthyRead` (1 MiB), so a healthy
//   disk is copied with as few calls as dd makes. A large read that fails costs a second
//   failed read to find the damage inside it, so the stretch that earns large reads is
//   short before the first error of the pass (a healthy disk) and long after one (a
//   damaged disk, where more damage is likely).
// All of it is a handful of numbers (LearnerState), saved beside the map with what the
// pass was doing (learned-state.ts), so a restarted pass goes on knowing what it knew.
import type { RescueContext } from "./context.ts";

export const REMEMBERED_AREAS = 5;
const ADJACENT_ODDS = 12;
const DENSITY_SHARE = 32;
const MIN_READ_SECTORS = 8;
/** Clusters read from the pass start, before any error, before reads grow to `healthyRead`. */
const HEALTHY_CLUSTERS = 256;
/**
 * Clusters read without an error after one before reads grow again: a failed read costs as
 * much as thousands of reads' fixed overhead (0.2 s or more against about 50 µs), so only a
 * stretch that long pays for the failed read a large read adds when it meets damage.
 */
const HEALTHY_AGAIN_CLUSTERS = 4096;
/** A read this many times slower than the usual rate is slow... */
const SLOW_FACTOR = 10;
/** ...if it also took this long (ms): short stalls of a healthy system are not damage. */
const SLOW_MIN_MS = 50;
/** Good reads measured before the usual rate is trusted. */
const RATE_SAMPLES = 16;

/** What a DamageLearner knows, as plain numbers (Infinity spacing as null, for JSON). */
export interface LearnerState {
  start: number;
  areas: number[];
  reaches: number[];
  lastContact: number | null;
  spacing: number | null;
  rate: number;
  samples: number;
  measured: number;
  adjacentReads: number;
  adjacentFailures: number;
}

export class DamageLearner {
  private areas: number[] = [];
  private reaches: number[] = [];
  private lastContact: number | null = null;
  private spacing = Infinity;
  private rate = 0; // moving average, bytes per ms
  private samples = 0;
  private readonly start: number;

  /** `from`: where the pass began, for the stretch read before any error; or what an earlier run of the pass knew. */
  constructor(private readonly ctx: RescueContext, from: number | LearnerState = 0) {
    if (typeof from === "number") {
      this.start = from;
      return;
    }
    this.start = from.start;
    this.areas = [...from.areas];
    this.reaches = [...from.reaches];
    this.lastContact = from.lastContact;
    this.spacing = from.spacing ?? Infinity;
    this.rate = from.rate;
    this.samples = from.samples;
    this.measured = from.measured;
    this.adjacentReads = from.adjacentReads;
    this.adjacentFailures = from.adjacentFailures;
  }

  state(): LearnerState {
    const { start, lastContact, rate, samples, measured, adjacentReads, adjacentFailures } = this;
    const spacing = Number.isFinite(this.spacing) ? this.spacing : null;
    return { start, areas: [...this.areas], reaches: [...this.reaches], lastContact, spacing, rate, samples, measured, adjacentReads, adjacentFailures };
  }

  /** A run of failures began at `pos` (the near edge of its first failed read). */
  contact(pos: number): void {
    if (this.lastContact !== null) {
      const d = Math.abs(pos - this.lastContact);
      this.spacing = this.spacing === Infinity ? d : 0.75 * this.spacing + 0.25 * d;
    }
    this.lastContact = pos;
  }

  /** Bad areas measured so far. */
  measured = 0;

  /**
   * A bad area measured from its contact to where reading back from good data failed.
   * `reach`: when reading back stopped at a gap of the domain instead (rescue -m, the
   * ranges of --used-first), the area reaches at least as far as the failed reads went,
   * and at most `size`. The upper bound still sizes skips (jumping a gap reads nothing in
   * it); largestArea, which says how far bad areas reach, takes the lower one: on sparse
   * ranges a 13 MiB gap between two groups counted as one bad area, and every range edge
   * that far from a failure was taken for the inside of that area.
   */
  area(size: number, reach = size): void {
    this.measured++;
    this.areas.push(size);
    this.reaches.push(reach);
    if (this.areas.length > REMEMBERED_AREAS) (this.areas.shift(), this.reaches.shift());
    this.ctx.largestArea = Math.max(...this.reaches);
  }

  /** Whether a good read of `bytes` that took `ms` was slow (and the rate learned). */
  slow(bytes: number, ms: number): boolean {
    const fixed = this.ctx.options.minReadRate;
    // --delay-slow: nothing counts as slow while the drive spins up (the rate is still learned).
    const checking = this.ctx.now() - this.ctx.counters.startedAt >= this.ctx.options.delaySlowMs;
    if (fixed > 0) return checking && ms > 0 && (bytes * 1000) / ms < fixed;
    if (ms <= 0) return false;
    const slow = checking && this.samples >= RATE_SAMPLES && ms >= SLOW_MIN_MS && bytes / ms < this.rate / SLOW_FACTOR;
    if (!slow) {
      this.rate = this.samples === 0 ? bytes / ms : 0.9 * this.rate + 0.1 * (bytes / ms);
      this.samples++;
    }
    return slow;
  }

  /** First skip after a new failure. */
  firstSkip(): number {
    const o = this.ctx.options;
    return Math.min(o.skipMax, Math.max(o.skipInitial, this.areas.length ? Math.min(...this.areas) : 0));
  }

  private adjacentReads = 0;
  private adjacentFailures = 0;

  /** The read right after a small defect's failed read failed too (the defect reached into it), or not. */
  adjacent(failed: boolean): void {
    this.adjacentReads++;
    if (failed) this.adjacentFailures++;
  }

  /**
   * Whether reading on right after a small defect pays: it saves a seek now and one in
   * pass 2 (about 16 ms) and fails when the defect reaches into that read, at the price
   * of a failed read (0.2 s or more): it pays while that happens to under 1 read in
   * ADJACENT_ODDS (counted with one failure assumed, so a few reads decide nothing).
   */
  adjacentPays(): boolean {
    return (this.adjacentFailures + 1) * ADJACENT_ODDS <= this.adjacentReads + ADJACENT_ODDS;
  }

  /** Whether every bad area measured lately was no larger than a cluster. */
  smallDamage(): boolean {
    return this.areas.length > 0 && Math.max(...this.areas) <= this.ctx.options.cluster;
  }

  /** Read size at `pos`: a share of the distance between failures, at most a cluster. */
  readSize(pos: number): number {
    const c = this.ctx.options.cluster;
    const small = MIN_READ_SECTORS * this.ctx.sector;
    const since = Math.abs(pos - (this.lastContact ?? this.start));
    const healthy = this.lastContact === null ? HEALTHY_CLUSTERS : HEALTHY_AGAIN_CLUSTERS;
    if (since >= healthy * c) return Math.min(this.ctx.options.healthyRead, this.ctx.buf.length);
    if (this.lastContact === null) return c;
    const spacing = Math.max(this.spacing, since);
    if (!Number.isFinite(spacing) || spacing >= c * DENSITY_SHARE) return c;
    let size = small;
    while (size * 2 * DENSITY_SHARE <= spacing) size *= 2;
    return Math.min(c, size);
  }

}
