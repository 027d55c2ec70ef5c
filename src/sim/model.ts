// The damage model: what a simulated disk looks like and how it behaves. Parsed from a
// damage file (damage-file.ts), a safecopy simulator.cfg (safecopy-cfg.ts) or a ddrescue
// mapfile (ddrescue-map.ts); written into the preload library's state file (state-file.ts).

/** bad: always fails. weak: fails the first `fails` attempts. slow: reads, costing time.
 *  soft: safecopy's simulator soft error (fails, recovers, then alternates). */
export type ExtentKind = "bad" | "weak" | "slow" | "soft";

export interface DamageExtent {
  /** First sector and number of sectors. */
  first: number;
  count: number;
  kind: ExtentKind;
  /** weak: attempts that fail before the sector reads. */
  fails: number;
  /** Extra virtual time per sector read or attempted. */
  costNs: number;
  /** Extra virtual time when a read fails on this extent. */
  failCostNs: number;
  /** Source line (for error messages). */
  line: number;
}

export interface Timing {
  /** Fixed cost of every read call. */
  readNs: number;
  /** Transfer cost per byte, in picoseconds (1e12 / bytes per second). */
  bytePs: number;
  /** Cost per sector transferred. */
  sectorNs: number;
  /** Cost of a failed read (a drive retrying internally before it gives up). */
  failNs: number;
  /** Cost of leaving the sequential stream. */
  seekNs: number;
  /** Cost per 1000 sectors of head travel. */
  travelNs: number;
  /** Really sleep virtual time x this factor (0: never). */
  sleepScale: number;
}

export interface DamageModel {
  sectorSize: number;
  /** Simulated size in bytes; null = the image's size. */
  size: number | null;
  /** "short": a read running into damage returns the good part; "fail": the whole read fails. */
  onError: "short" | "fail";
  /** How stat presents the device. */
  device: "file" | "block";
  /** st_blksize reported by stat; null = max(4096, sector size). */
  blksize: number | null;
  timing: Timing;
  /** Sorted by first sector, disjoint. */
  extents: DamageExtent[];
  /** Set for a safecopy simulator.cfg: upstream's quirks are reproduced. */
  safecopy?: { softFailCount: number; source: string | null };
}

export const noTiming: Timing = { readNs: 0, bytePs: 0, sectorNs: 0, failNs: 0, seekNs: 0, travelNs: 0, sleepScale: 0 };

/** A plausible failing hard disk, used by `simulate make` and as the damage-file default. */
export const diskTiming: Timing = {
  readNs: 50_000, // command overhead
  bytePs: 6_667, // 150 MB/s
  sectorNs: 0,
  failNs: 2_000_000_000, // internal retries before the drive reports the error
  seekNs: 8_000_000,
  travelNs: 0,
  sleepScale: 0,
};

export function emptyModel(sectorSize = 512): DamageModel {
  return { sectorSize, size: null, onError: "short", device: "file", blksize: null, timing: { ...diskTiming }, extents: [] };
}

/** Longest virtual time one cost may add (ns): the state file holds it in 64 bits. */
export const MAX_COST_NS = 2 ** 62;

/** Lines one damage source may have: each can be a damaged range, and parsing one costs
 *  a few hundred bytes; 200 000 is far more than any real disk's damage needs. Benchmarks of
 *  millions of bad areas raise it explicitly (`simulate --max-damage-lines`), up to
 *  MAX_LINES_CEILING, so a stray file never costs gigabytes by accident. */
export const MAX_LINES = 200_000;
export const MAX_LINES_CEILING = 4_000_000;
/** Longest line of a damage source: real ones are short; a 100 MB line is an attack or an accident. */
export const MAX_LINE = 4096;

/** Thrown for a malformed damage source; the message names the file and line. */
export class DamageError extends Error {
  override name = "DamageError";
}

/** Sort extents and reject overlaps, naming both lines. */
export function checkExtents(file: string, extents: DamageExtent[]): DamageExtent[] {
  const sorted = [...extents].sort((a, b) => a.first - b.first);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.first < prev.first + prev.count) {
      const [early, late] = prev.line < cur.line ? [prev, cur] : [cur, prev];
      throw new DamageError(
        `${file}:${late.line}: sectors ${late.first}-${late.first + late.count - 1} overlap line ${early.line} (sectors ${early.first}-${early.first + early.count - 1})`,
      );
    }
  }
  return sorted;
}

/** Damaged sectors by class, for score and stats. */
export function damagedSectors(m: DamageModel): Record<ExtentKind, number> {
  const out: Record<ExtentKind, number> = { bad: 0, weak: 0, slow: 0, soft: 0 };
  for (const e of m.extents) out[e.kind] += e.count;
  return out;
}

/**
 * The model cut to a device of `size` bytes: extents past its end are dropped, one
 * crossing it is shortened. A damage file may describe 10^9 sectors; the simulator
 * only ever needs the ones the device has (and keeps a counter for some of them).
 */
export function clampToDevice(m: DamageModel, size: number): DamageModel {
  const sectors = Math.ceil(size / m.sectorSize);
  const extents = m.extents.filter((e) => e.first < sectors).map((e) => (e.first + e.count > sectors ? { ...e, count: sectors - e.first } : e));
  return { ...m, extents };
}

/** Too many lines or an overlong one is one clear error, before any parser looks at the text. */
export function checkDamageText(text: string, file: string, maxLines = MAX_LINES): void {
  let line = 0;
  for (let at = 0; at <= text.length; ) {
    const nl = text.indexOf("\n", at);
    const end = nl < 0 ? text.length : nl;
    if (++line > maxLines) throw new DamageError(`${file}: more than ${maxLines} lines (the simulator takes at most that many damaged ranges; --max-damage-lines raises the limit)`);
    if (end - at > MAX_LINE) throw new DamageError(`${file}:${line}: line longer than ${MAX_LINE} characters`);
    if (nl < 0) break;
    at = nl + 1;
  }
}
