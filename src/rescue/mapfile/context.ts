// Shared state of one rescue run: the source, the one reused buffer, the map, the
// domain, counters, and the between-reads step that yields to the event loop, honours
// stop requests and limits, and lets the caller save the map.
import type { Source } from "../../io/source.ts";
import type { DamageLearner } from "./damage-learner.ts";
import type { Direction, Domain } from "./domain.ts";
import type { SavedPass1, SavedRetry } from "./learned-state.ts";
import type { RetryBudget } from "./retry-auto.ts";
import type { PassRun } from "./skipping-pass.ts";
import type { RescueCounters, RescueEvent } from "./events.ts";
import type { RescueOptions } from "./options.ts";
import type { StatusMap } from "./status-map.ts";
import type { StatusLine } from "./status.ts";

/** Where rescued bytes go. */
export interface RescueTarget {
  write(buf: Uint8Array, length: number, pos: number): void;
}

export interface RescueHooks {
  onEvent?: (e: RescueEvent) => void;
  /** Called between reads; the caller decides whether it is time to save the map. */
  checkpoint?: (ctx: RescueContext) => void | Promise<void>;
  /** Polled between reads: a non-null reason stops the run (a signal, a UI). */
  stopRequested?: () => string | null;
  /** Clock in ms; injectable so tests (and the simulator) can use virtual time. */
  now?: () => number;
  /** Wait (--pause-on-error); injectable like the clock. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Close and open the source again (--reopen-on-error); the caller knows how. */
  reopenSource?: () => void;
}

/** Thrown between reads to end the run cleanly; the map stays consistent. */
export class RescueStopped extends Error {
  override name = "RescueStopped";
  constructor(readonly reason: string, readonly interrupted: boolean) {
    super(reason);
  }
}

/** How often the loop yields to the event loop so signals and timers run (ms). */
const YIELD_EVERY_MS = 25;

export class RescueContext {
  readonly buf: Uint8Array;
  readonly sector: number;
  readonly counters: RescueCounters;
  /** The status line: phase, pass and position, saved with the map for exact resume. */
  current: StatusLine = { pos: 0, status: "?", pass: 1 };
  /** Set once the source has returned a short read before its end: it reports partial data. */
  partialReads = false;
  /**
   * Set once a short read stopped off a page boundary: the source reports errors per
   * sector (a drive, the simulator), so a read that fails whole failed on its first
   * sector, and a short read stops exactly at a failing sector. See classifiesStop().
   */
  perSectorErrors = false;
  /** Set by read() when it marked the sector where a short read stopped as bad. */
  stopSectorBad = false;
  /** Set by read() when it marked the first sector of a failed read as bad. */
  firstSectorBad = false;
  /** Highest byte written or skipped as sparse (the caller extends sparse files to it). */
  highWater = 0;
  private lastYield: number;
  readonly now: () => number;
  /** Bad areas in the map when the run started (for --max-bad-areas +N). */
  private readonly badAreasAtStart: number;
  /** Failed-read bytes since errorWindowStart, for --max-error-rate. */
  private errorBytes = 0;
  private errorWindowStart: number;
  /** A read failed since the last step: pause there (--pause-on-error). */
  private pauseDue = false;

  constructor(
    readonly source: Source,
    readonly target: RescueTarget,
    readonly map: StatusMap,
    readonly domain: Domain,
    readonly options: RescueOptions,
    readonly hooks: RescueHooks = {},
    buffer?: Uint8Array,
  ) {
    this.sector = source.sectorSize;
    this.buf = buffer ?? new Uint8Array(Math.max(options.cluster, options.healthyRead));
    if (this.buf.length < options.cluster) throw new RangeError("buffer smaller than the cluster size");
    this.now = hooks.now ?? (() => performance.now());
    const t = this.now();
    this.counters = { reads: 0, failedReads: 0, shortReads: 0, bytesRead: 0, slowReads: 0, startedAt: t, lastGoodAt: t };
    this.lastYield = t;
    this.errorWindowStart = t;
    this.badAreasAtStart = map.badAreas();
  }

  emit(e: RescueEvent): void {
    this.hooks.onEvent?.(e);
  }

  /**
   * Read [pos, pos+len), write and mark what came back as finished. Returns the byte count
   * (short when the read ran into damage) or -errno. A sector is marked bad only when the
   * read proves it: a one-sector read failed, or the source reports errors per sector and
   * the read failed on it (stopSectorBad, firstSectorBad tell the caller). Anything else
   * that failed is the caller's to mark.
   */
  read(pos: number, len: number): number {
    const t0 = this.now();
    this.stopSectorBad = false;
    this.firstSectorBad = false;
    // Sources that need alignment (O_DIRECT) read whole units; only [pos, pos+len) counts.
    const align = this.source.alignment;
    const ask = align > 1 ? Math.ceil(len / align) * align : len;
    const n = Math.min(this.source.read(this.buf, ask, pos), len);
    // The device went away (USB reset, unplugged): every further read would fail and be
    // marked bad. Stop instead; the map keeps what is known and a rerun continues.
    if (GONE.has(-n)) throw new RescueStopped(`source is gone (${GONE.get(-n)}) at 0x${pos.toString(16)}; reconnect it and rerun`, false);
    const ms = this.now() - t0;
    const c = this.counters;
    c.reads++;
    if (n > 0) {
      c.bytesRead += n;
      c.lastGoodAt = this.now();
      this.storeAndMark(pos, n);
    }
    if (n < 0) {
      c.failedReads++;
      this.errorBytes += len;
      this.pauseDue = true;
      // ddrescue -O: some drivers recover from a failed read only on a fresh open (copying only).
      if (this.options.reopenOnError && this.current.status === "?") this.hooks.reopenSource?.();
      this.failMs = this.failMs === 0 ? ms : 0.75 * this.failMs + 0.25 * ms;
      if (len <= this.sector || this.perSectorErrors) {
        this.firstSectorBad = true;
        this.map.set(pos, this.firstSectorEnd(pos, len) - pos, "-");
      }
    } else if (n < len) {
      // A short read before the end of the source means it ran into damage.
      if (this.source.size === null || pos + n < this.source.size) {
        c.shortReads++;
        this.partialReads = true;
        if (classifiesStop(pos + n, this.sector)) this.perSectorErrors = true;
        this.stopSectorBad = this.perSectorErrors;
        if (this.stopSectorBad) this.map.set(pos + n, this.firstSectorEnd(pos + n, len - n) - pos - n, "-");
      }
    }
    this.emit({ type: "read", pos, size: len, result: n, ms });
    this.lastReadMs = ms;
    return n;
  }

  /** End of the sector that starts at (or contains) pos, within a read of len bytes. */
  firstSectorEnd(pos: number, len: number): number {
    return Math.min(pos + len, Math.floor(pos / this.sector) * this.sector + this.sector);
  }

  /** Duration of the last read, ms (for slow-read detection). */
  lastReadMs = 0;
  /**
   * What a failed read costs on this drive (moving average, ms; 0 until one failed). The
   * strategy weighs cheap reads against it: many good one-sector reads are worth less
   * than one failed read that classifies nothing.
   */
  failMs = 0;
  /**
   * Largest bad area copy pass 1 measured recently (bytes; 0 = none yet, e.g. after a
   * restart). An untried gap between failures wider than this likely holds good data.
   */
  largestArea = 0;

  /** Copy pass 1 while it runs: its learner and where it is in a run of failures (saved beside the map). */
  pass1: { dir: Direction; learner: DamageLearner; run: PassRun } | null = null;
  /** Pass 1's saved state, for a run resumed exactly where it was saved (learned-state.ts). */
  resumePass1: SavedPass1 | null = null;
  /** Learned retrying's budget while it runs (saved beside the map), and as saved, for a resume. */
  retry: RetryBudget | null = null;
  resumeRetry: SavedRetry | null = null;

  /**
   * What an earlier run on the same drive learned about it: whether it returns partial data
   * and reports errors per sector, and what a failed read costs.
   * rescue --used-first runs the engine once per round and stage; without this each stage
   * met the drive as new, and its first failed large read was read again in clusters (one
   * failed read more) although an earlier stage had shown that such a read fails on its
   * first sector.
   */
  learnFrom(earlier: RescueContext): void {
    this.partialReads ||= earlier.partialReads;
    this.perSectorErrors ||= earlier.perSectorErrors;
    if (this.failMs === 0) this.failMs = earlier.failMs;
  }

  /**
   * Write what was read and mark it finished. A large write that fails (a full disk) is
   * tried again a cluster at a time, so what does fit is on disk and in the map before the
   * error stops the run.
   */
  private storeAndMark(pos: number, n: number): void {
    try {
      this.store(pos, n);
    } catch (e) {
      const c = this.options.cluster;
      if (n <= c) throw e;
      for (let at = 0; at < n; at += c) {
        const len = Math.min(c, n - at);
        this.store(pos + at, len, at);
        this.map.set(pos + at, len, "+");
      }
    }
    this.map.set(pos, n, "+");
  }

  /** Write buf[from, from + n) at pos (all-zero clusters skipped with --sparse). */
  private store(pos: number, n: number, from = 0): void {
    this.highWater = Math.max(this.highWater, pos + n);
    if (!this.options.sparse) {
      this.target.write(from ? this.buf.subarray(from) : this.buf, n, pos);
      return;
    }
    // Sparse: all-zero clusters are not written, whatever the size of the read; runs of
    // non-zero clusters are written together.
    const c = this.options.cluster;
    const buf = this.buf.subarray(from);
    let run = -1;
    for (let at = 0; at < n; at += c) {
      const zero = isZero(buf.subarray(at), Math.min(c, n - at));
      if (!zero && run < 0) run = at;
      if (zero && run >= 0) {
        this.target.write(buf.subarray(run), at - run, pos + run);
        run = -1;
      }
    }
    if (run >= 0) this.target.write(buf.subarray(run), n - run, pos + run);
  }

  /** Between reads: limits, stop requests, checkpoint, and a regular yield. */
  async step(): Promise<void> {
    const o = this.options;
    const c = this.counters;
    const stop = this.hooks.stopRequested?.();
    if (stop) throw new RescueStopped(stop, true);
    if (o.maxErrors >= 0 && c.failedReads > o.maxErrors) throw new RescueStopped(`more than ${o.maxErrors} read errors`, false);
    const t = this.now();
    if (o.timeoutMs > 0 && t - c.lastGoodAt > o.timeoutMs) throw new RescueStopped(`no successful read for ${Math.round((t - c.lastGoodAt) / 1000)} s`, false);
    this.checkLimits(t);
    if (this.pauseDue && o.pauseOnErrorMs > 0) await (this.hooks.sleep ?? sleepMs)(o.pauseOnErrorMs);
    this.pauseDue = false;
    if (this.hooks.checkpoint) await this.hooks.checkpoint(this);
    // Yield so SIGINT/SIGTERM handlers and timers get to run (bun-toolchain.md §4).
    const wall = performance.now();
    if (wall - this.lastYield >= YIELD_EVERY_MS) {
      this.lastYield = wall;
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** ddrescue's -e, -E and --max-slow-reads, checked between reads. */
  private checkLimits(t: number): void {
    const o = this.options;
    if (o.maxBadAreas >= 0) {
      const areas = this.map.badAreas() - (o.maxBadAreasNew ? this.badAreasAtStart : 0);
      if (areas > o.maxBadAreas) throw new RescueStopped(`too many ${o.maxBadAreasNew ? "new " : ""}bad areas (${areas}, at most ${o.maxBadAreas} allowed)`, false);
    }
    if (o.maxSlowReads >= 0 && this.counters.slowReads > o.maxSlowReads) throw new RescueStopped(`too many slow reads (more than ${o.maxSlowReads})`, false);
    // The error rate is measured over windows of at least a second, as ddrescue's display does.
    const elapsed = t - this.errorWindowStart;
    if (elapsed >= 1000) {
      const rate = (this.errorBytes * 1000) / elapsed;
      if (o.maxErrorRate >= 0 && rate > o.maxErrorRate) throw new RescueStopped(`too high error rate reading the source (${Math.round(rate)} B/s, at most ${o.maxErrorRate} allowed)`, false);
      this.errorBytes = 0;
      this.errorWindowStart = t;
    }
  }

  /** Record the phase/pass/position for the status line. */
  at(status: StatusLine["status"], pass: number, pos: number): void {
    this.current = { status, pass, pos };
  }
}

/**
 * Whether the sector where a short read stopped is known to be bad. A stop that is not
 * on a page boundary comes from a source that reports errors per sector (a drive, the
 * simulator). A buffered read of a block device fails whole 4 KiB pages, so a stop on a
 * page boundary may lie before good sectors of a failing page: it classifies nothing.
 */
function classifiesStop(stop: number, sector: number): boolean {
  return sector >= PAGE || stop % PAGE !== 0;
}

const PAGE = 4096;

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** errno values meaning "no device any more", not "bad sector". */
const GONE = new Map([
  [6, "ENXIO"],
  [19, "ENODEV"],
  [9, "EBADF"],
]);

function isZero(buf: Uint8Array, n: number): boolean {
  let i = 0;
  if (buf.byteOffset % 8 === 0) {
    const words = new Float64Array(buf.buffer, buf.byteOffset, n >> 3);
    // Comparing as floats is exact for zero: only +0 and -0 compare equal to 0, and -0 is not all-zero bytes.
    for (let k = 0; k < words.length; k++) if (words[k] !== 0 || Object.is(words[k], -0)) return false;
    i = words.length << 3;
  }
  for (; i < n; i++) if (buf[i] !== 0) return false;
  return true;
}
