// The getfree walk: every free fragment of the chosen cylinder groups, in address
// order, read in large chunks into one reused buffer. Damage is data: a fragment that
// cannot be read is handed to the sink as unreadable and skipped, never zero-filled.
// The walk is written as steps (a generator that pauses after every read): `walkFree`
// runs them in one go, `walkFreeAsync` lets the event loop run between them so a
// caller's SIGINT handler can ask it to stop (bun-toolchain.md §4).
import type { Source } from "../io/source.ts";
import { readPoolFor, type ReadPool } from "../io/read-pool.ts";
import { uniformMap } from "../native/ffs.ts";
import { CylinderGroupReader, freeRuns, pastEndMessage, type CylinderGroup } from "./cylinder-group.ts";
import type { Superblock } from "./superblock.ts";

export interface FreeSink {
  /** `count` free fragments from disk fragment `frag` on, their bytes in buf[0, count × fsize). */
  fragments(buf: Uint8Array, count: number, frag: number): void;
  /** `count` fragments from `frag` could not be read (errno), or lie past the end of the image (errno 0). */
  unreadable(frag: number, count: number, errno: number): void;
  /** A cylinder group was skipped because its header is bad. */
  groupError(message: string): void;
  /**
   * Optional, asked instead of reading when uniform fragments are kept (nothing to look at):
   * copy `count` free fragments from disk fragment `frag` on straight from the source to the
   * output, inside the kernel. Returns how many were copied whole; the walk reads the rest
   * itself (the image's end, damage). Negative: not possible here, never asked again.
   */
  copy?(frag: number, count: number): number;
}

export interface WalkOptions {
  /** Cylinder groups to walk (default all), in any order; walked in address order. */
  groups?: number[];
  /** Only groups whose header time is later than this (Unix seconds). */
  since?: number;
  /** Also pass fragments that are one repeated byte (blkls does; getfree did not). */
  keepUniform?: boolean;
  /** Read size in bytes (rounded down to whole fragments). */
  chunkBytes?: number;
  /** Byte offset of the filesystem inside the source (partition start). */
  base?: number;
  /** Read an image's chunks with a second thread too (read-pool.ts); default true. */
  readAhead?: boolean;
  onGroup?(cg: CylinderGroup, done: number, total: number): void;
}

export interface AsyncWalkOptions extends WalkOptions {
  /** Asked between reads: true ends the walk there (stats.stopped), the sink keeps what it got. */
  shouldStop?(): boolean;
  /** Give the event loop a turn at least this often (ms of work). */
  yieldEveryMs?: number;
}

export interface WalkStats {
  groupsWalked: number;
  groupsSkipped: number;
  groupsFailed: number;
  freeFragments: number;
  uniformFragments: number;
  passedFragments: number;
  unreadableFragments: number;
  missingFragments: number;
  /** The walk ended early because shouldStop() said so. */
  stopped: boolean;
}

/** Walk in one go (no pause, no stop): for tests, tools and small jobs. */
export function walkFree(source: Source, sb: Superblock, sink: FreeSink, options: WalkOptions = {}): WalkStats {
  const steps = walkSteps(source, sb, sink, options, walkPool(source, sb, sink, options));
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * The same walk, giving the event loop a turn every `yieldEveryMs` of work and asking
 * shouldStop() after every read. Stopping loses nothing already handed to the sink.
 */
export async function walkFreeAsync(source: Source, sb: Superblock, sink: FreeSink, options: AsyncWalkOptions = {}): Promise<WalkStats> {
  const every = options.yieldEveryMs ?? 50;
  const pool = walkPool(source, sb, sink, options);
  const steps = walkSteps(source, sb, sink, options, pool);
  let lastYield = performance.now();
  /** A turn of the event loop is due (signal handlers run in it): `every` ms since the last. */
  const due = () => performance.now() - lastYield >= every;
  const turn = async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    lastYield = performance.now();
  };
  let stats: WalkStats | null = null;
  const stopHere = (at: WalkStats) => {
    // Ends the generator (its finally closes the pool); the stats object is the one it shares.
    steps.return(at);
    at.stopped = true;
    return at;
  };
  for (;;) {
    // The reader thread has the next chunk: read another one meanwhile, or wait for it, here
    // rather than inside the step, so that a signal that came meanwhile stops the walk
    // before that chunk, not chunks later. A long wait lets the event loop run.
    if (pool && stats) {
      let waited = false;
      while (pool.nextBusy()) {
        waited = true;
        if (pool.readOneAhead() || !pool.stillBusyAfter(BLOCKING_WAIT_MS)) continue;
        await pool.whenNextReady();
      }
      if (waited && due()) await turn();
      if (waited && options.shouldStop?.()) return stopHere(stats);
    }
    const r = steps.next();
    if (r.done) return r.value;
    stats = r.value;
    if (due()) await turn();
    if (options.shouldStop?.()) return stopHere(stats);
  }
}

/** How long the walk blocks for the reader's chunk before it waits with the event loop running. */
const BLOCKING_WAIT_MS = 2;

/** Fragments per chunk read. */
const chunkFragments = (sb: Superblock, options: WalkOptions) => Math.max(1, Math.floor((options.chunkBytes ?? 1 << 20) / sb.raw.fsize));

/** A second reader for the walk's chunks (read-pool.ts), or null: no image, or the kernel copies (--keep-uniform). */
function walkPool(source: Source, sb: Superblock, sink: FreeSink, options: WalkOptions): ReadPool | null {
  if (options.readAhead === false || (options.keepUniform && sink.copy)) return null;
  return readPoolFor(source, chunkFragments(sb, options) * sb.raw.fsize);
}

/** The walk; pauses (yields its running stats) after every read. Closes `pool` when it ends. */
function* walkSteps(source: Source, sb: Superblock, sink: FreeSink, options: WalkOptions, pool: ReadPool | null): Generator<WalkStats, WalkStats, void> {
  const fsize = sb.raw.fsize;
  const base = options.base ?? 0;
  const perChunk = chunkFragments(sb, options);
  const buf = new Uint8Array(perChunk * fsize);
  const uniform = new Uint8Array(perChunk);
  const cgs = new CylinderGroupReader(source, sb, base);
  const stats: WalkStats = {
    groupsWalked: 0, groupsSkipped: 0, groupsFailed: 0, freeFragments: 0,
    uniformFragments: 0, passedFragments: 0, unreadableFragments: 0, missingFragments: 0, stopped: false,
  };
  // Never a list of fs_ncg numbers: a crafted superblock says 2^31 (the reader stops at the image's end).
  const chosen = options.groups ? [...new Set(options.groups)].sort((a, b) => a - b) : null;
  const total = chosen ? chosen.length : sb.raw.ncg;

  const emit = (buf: Uint8Array, count: number, frag: number, at: number) => {
    // at: index of the first of `count` good fragments inside buf.
    if (options.keepUniform) {
      sink.fragments(at === 0 ? buf : buf.subarray(at * fsize), count, frag);
      stats.passedFragments += count;
      return;
    }
    uniformMap(at === 0 ? buf : buf.subarray(at * fsize), count * fsize, fsize, uniform);
    let i = 0;
    while (i < count) {
      if (uniform[i]) {
        stats.uniformFragments++;
        i++;
        continue;
      }
      const start = i;
      while (i < count && !uniform[i]) i++;
      sink.fragments(buf.subarray((at + start) * fsize), i - start, frag + start);
      stats.passedFragments += i - start;
    }
  };

  let copying = !!options.keepUniform && !!sink.copy;
  /** The chunk reads of a free run, as readRun makes them (for the pool to read ahead). */
  function* chunksOf(first: number, count: number): Generator<[number, number]> {
    for (let done = 0; done < count; done += perChunk) yield [base + (first + done) * fsize, Math.min(perChunk, count - done) * fsize];
  }
  function* readRun(first: number, count: number): Generator<WalkStats, void, void> {
    for (let done = 0; done < count; ) {
      const n = Math.min(perChunk, count - done);
      let frag = first + done;
      let left = n;
      if (copying) {
        const copied = sink.copy!(frag, left);
        if (copied < 0) copying = false;
        else {
          stats.passedFragments += copied;
          frag += copied;
          left -= copied;
        }
      }
      if (left > 0) {
        const pooled = pool?.take(base + frag * fsize, left * fsize);
        const got = pooled ? pooled.got : source.read(buf, left * fsize, base + frag * fsize);
        const whole = got > 0 ? Math.floor(got / fsize) : 0;
        if (whole > 0) emit(pooled ? pooled.buf : buf, whole, frag, 0);
        if (whole < left) yield* salvageRest(frag + whole, left - whole, got === 0);
      }
      done += n;
      yield stats;
    }
  }

  // After a short or failed chunk read, go fragment by fragment so that only the
  // fragments that really fail are lost.
  function* salvageRest(frag: number, count: number, atEnd: boolean): Generator<WalkStats, void, void> {
    for (let i = 0; i < count; i++) {
      const r = atEnd ? 0 : source.read(buf, fsize, base + (frag + i) * fsize);
      if (r === fsize) {
        emit(buf, 1, frag + i, 0);
        yield stats;
        continue;
      }
      // A short read is the image's end if nothing follows it; otherwise it is damage.
      const end = r === 0 || atEnd || (r > 0 && source.read(buf, 1, base + (frag + i) * fsize + r) === 0);
      if (end) {
        // Past the end of a truncated image: the rest of this run is missing too.
        sink.unreadable(frag + i, count - i, 0);
        stats.missingFragments += count - i;
        return;
      }
      sink.unreadable(frag + i, 1, r < 0 ? -r : 5);
      stats.unreadableFragments++;
      yield stats;
    }
  }

  try {
    yield* walkGroups();
  } finally {
    // Before the caller closes the source: no read of the reader thread may still be going on.
    pool?.close();
  }
  return stats;

  function* walkGroups(): Generator<WalkStats, void, void> {
    for (let k = 0; k < total; k++) {
      const c = chosen ? chosen[k]! : k;
      if (c < 0 || c >= sb.raw.ncg) {
        sink.groupError(`cylinder group ${c} does not exist (0..${sb.raw.ncg - 1})`);
        stats.groupsFailed++;
        continue;
      }
      const r = cgs.read(c);
      yield stats;
      if (!r.ok && r.pastEnd) {
        // Groups are in address order: all the rest are past the end too.
        sink.groupError(pastEndMessage(c, sb.raw.ncg));
        stats.groupsFailed += total - k;
        break;
      }
      if (!r.ok) {
        sink.groupError(r.error);
        stats.groupsFailed++;
        continue;
      }
      const cg = r.cg;
      if (options.since !== undefined && !(cg.time > options.since)) {
        stats.groupsSkipped++;
        continue;
      }
      options.onGroup?.(cg, k, total);
      stats.groupsWalked++;
      // cg.freeMap is a view into the header buffer; the walk below finishes before the
      // next header is read (a stop ends the walk), so no copy is needed.
      // The group's runs are read once from its map: the pool plans their chunks first.
      const runs = [...freeRuns(cg.freeMap, cg.length)];
      if (pool) for (const [start, count] of runs) pool.plan(chunksOf(cg.base + start, count));
      for (const [start, count] of runs) {
        stats.freeFragments += count;
        yield* readRun(cg.base + start, count);
      }
    }
  }
}
