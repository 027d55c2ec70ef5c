// The statistics of one simulated run, computed after the command exits from the counters
// the preload library left in the state file (--stats FILE writes this as JSON).
import type { DamageModel, ExtentKind } from "./model.ts";
import type { RawState, StateLayout } from "./state-file.ts";

/** Per-sector detail is listed up to this many sectors; the totals are always exact. */
const MAX_LISTED = 100_000;

export interface SimStats {
  reads: number;
  bytes: number;
  failedReads: number;
  shortReads: number;
  /** Reads whose sectors included a damaged (bad, weak, slow) sector, failed or not. */
  readsTouchingDamage: number;
  /** O_DIRECT reads refused for misalignment. */
  einvalReads: number;
  eofReads: number;
  seeks: number;
  opens: number;
  processes: number;
  virtualSeconds: number;
  sectorSize: number;
  damagedSectors: Record<ExtentKind, number>;
  /** Damaged sectors that any read reached (so were attempted at least once). */
  attemptedSectors: Record<ExtentKind, number>;
  /** Weak sectors that were eventually read. */
  weakRecovered: number;
  attempts: { total: number; max: number; histogram: Record<string, number> };
  /** [sector, attempts] for every attempted damaged sector (soft sectors excluded: upstream's counter is not a count). */
  attemptsPerDamagedSector: [number, number][];
  attemptsListTruncated: boolean;
}

export function computeStats(model: DamageModel, layout: StateLayout, raw: RawState): SimStats {
  const zero = (): Record<ExtentKind, number> => ({ bad: 0, weak: 0, slow: 0, soft: 0 });
  const damaged = zero();
  const attempted = zero();
  const histogram: Record<string, number> = {};
  const list: [number, number][] = [];
  let total = 0;
  let max = 0;
  let weakRecovered = 0;
  let truncated = false;
  model.extents.forEach((e, i) => {
    damaged[e.kind] += e.count;
    const base = layout.counterIndex[i]!;
    if (base < 0 || e.kind === "soft") return;
    for (let s = 0; s < e.count; s++) {
      const n = raw.counters[base + s]!;
      if (n <= 0) continue;
      attempted[e.kind]++;
      total += n;
      max = Math.max(max, n);
      histogram[n] = (histogram[n] ?? 0) + 1;
      if (e.kind === "weak" && n > e.fails) weakRecovered++;
      if (list.length < MAX_LISTED) list.push([e.first + s, n]);
      else truncated = true;
    }
  });
  return {
    reads: raw.counter("reads"),
    bytes: raw.counter("bytes"),
    failedReads: raw.counter("failed"),
    shortReads: raw.counter("short"),
    readsTouchingDamage: raw.counter("damageReads"),
    einvalReads: raw.counter("einval"),
    eofReads: raw.counter("eofReads"),
    seeks: raw.counter("seeks"),
    opens: raw.counter("opens"),
    processes: raw.counter("processes"),
    virtualSeconds: raw.counter("virtualNs") / 1e9,
    sectorSize: model.sectorSize,
    damagedSectors: damaged,
    attemptedSectors: attempted,
    weakRecovered,
    attempts: { total, max, histogram },
    attemptsPerDamagedSector: list,
    attemptsListTruncated: truncated,
  };
}
