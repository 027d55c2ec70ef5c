// A Medium built from Source objects: seeks, reads, safecopy's recovery after a failed
// read (close, -Z head moves to the first and last block, reopen) and forward skips on
// unseekable sources. Opening, the seek script and the low-level device are injected, so
// this runs over MemorySource in tests and over the shim in the CLI.
//
// Speed: on healthy stretches reads are served from one reused read-ahead buffer filled
// by large requests (up to 1 MiB). A large read that fails or comes back short is never
// trusted: the exact request is then made, so errors and short reads are seen at the
// same places and sizes as without read-ahead; the block/symbol stream is unchanged.
import type { Source } from "../../io/source.ts";
import type { LowLevelDevice } from "../../io/low-level-device.ts";
import type { Medium, SkipResult } from "./types.ts";

const EINVAL = 22;
const ESPIPE = 29;
export const READ_AHEAD_MAX = 1 << 20;
const READ_AHEAD_MIN = 64 << 10;
/** A large read slower than this shrinks the window: Ctrl-C must not wait behind it. */
const SLOW_READ_MS = 200;

export interface SourceMediumOptions {
  /** Open the source for the copy (read-only, with --sync flags): a Source or an error text. */
  open: () => Source | string;
  /** Open for a head move: no O_DIRECT (safecopy uses O_RSYNC there). Defaults to `open`. */
  openPlain?: () => Source | string;
  /** -Z: head moves after each failed read. */
  headMoves: number;
  blockSize: number;
  /** For sources without their own seek (in-memory fakes): refuse seeks past the end with EINVAL, as devices do. */
  refuseSeekPastEnd: boolean;
  /** -S: run the script; returns its exit status (blocks skipped, 0 = failure). */
  seekScript?: (blocks: number, blockSize: number, position: number) => number;
  lowLevel?: LowLevelDevice;
  /** Large reads on healthy areas (off for -T, so every timing line is one real read). */
  readAhead: boolean;
  /** Buffer allocation (aligned for O_DIRECT). */
  allocate?: (size: number) => Uint8Array;
  describe: (errno: number) => string;
}

/** Sources that can ask the kernel whether a position exists (FileSource). */
interface SeekingSource extends Source {
  seek(position: number): number;
}

function hasSeek(s: Source): s is SeekingSource {
  return typeof (s as Partial<SeekingSource>).seek === "function";
}

export class SourceMedium implements Medium {
  private source: Source | null;
  private cache: Uint8Array | null = null;
  private cacheStart = 0;
  private cacheEnd = 0;
  /** Read-ahead pauses after trouble and resumes after this many clean bytes. */
  private cleanNeeded = 0;
  /** Current read-ahead size: shrinks on slow media, grows back on fast reads. */
  private window = READ_AHEAD_MAX;
  /** One block for -Z head moves, allocated on first use. */
  private scratch: Uint8Array | null = null;

  constructor(first: Source, private readonly o: SourceMediumOptions) {
    this.source = first;
    if (o.readAhead && first.seekable) this.cache = (o.allocate ?? ((n) => new Uint8Array(n)))(Math.max(READ_AHEAD_MAX, o.blockSize));
  }

  get current(): Source | null {
    return this.source;
  }

  seek(position: number): number {
    const s = this.source;
    if (!s) return -9; // EBADF
    if (!s.seekable) return -ESPIPE;
    // A real lseek where the source has one: the kernel (or the simulator) decides, as for safecopy.
    if (hasSeek(s)) return s.seek(position);
    if (this.o.refuseSeekPastEnd && s.size !== null && position > s.size) return -EINVAL;
    return position;
  }

  read(buf: Uint8Array, length: number, position: number, lowLevel: boolean): number {
    const s = this.source;
    if (!s) return -9;
    if (lowLevel && this.o.lowLevel?.read) return this.o.lowLevel.read(s, buf, length, position);
    if (this.cache && !lowLevel) {
      const hit = this.fromCache(buf, length, position);
      if (hit >= 0) return hit;
    }
    const n = s.read(buf, length, position);
    if (n < length) this.cleanNeeded = READ_AHEAD_MAX * 4;
    else if (this.cleanNeeded > 0) this.cleanNeeded -= n;
    return n;
  }

  /** Serve from the read-ahead buffer, refilling it with one large read; -1 when not possible. */
  private fromCache(buf: Uint8Array, length: number, position: number): number {
    const cache = this.cache!;
    if (position < this.cacheStart || position + length > this.cacheEnd) {
      if (this.cleanNeeded > 0) return -1;
      const s = this.source!;
      let want = Math.max(this.window, length);
      if (s.size !== null) want = Math.min(want, Math.max(0, s.size - position));
      // Align the end to the block size so later requests stay inside the buffer.
      want -= want % this.o.blockSize;
      if (want <= length) return -1;
      const t0 = performance.now();
      const n = s.read(cache, want, position);
      this.adapt(performance.now() - t0);
      if (n < want) {
        // Short or failed: do not guess, let the exact read decide.
        this.cacheEnd = this.cacheStart = 0;
        this.cleanNeeded = READ_AHEAD_MAX * 4;
        return -1;
      }
      this.cacheStart = position;
      this.cacheEnd = position + n;
    }
    const off = position - this.cacheStart;
    buf.set(cache.subarray(off, off + length), 0);
    return length;
  }

  /** Up to `maxLength` bytes (whole blocks) at `position` from one large read, or null. */
  readBulk(position: number, maxLength: number): Uint8Array | null {
    const s = this.source;
    if (!s || !this.cache || this.cleanNeeded > 0) return null;
    const b = this.o.blockSize;
    let want = Math.min(this.window, maxLength);
    if (s.size !== null) want = Math.min(want, s.size - position);
    want -= want % b;
    if (want < 2 * b) return null;
    const t0 = performance.now();
    const n = s.read(this.cache, want, position);
    this.adapt(performance.now() - t0);
    this.dropCache();
    if (n < want) {
      // Near trouble: only whole blocks before it are used, then exact reads for a while.
      this.cleanNeeded = READ_AHEAD_MAX * 4;
      if (n < b) return null;
    }
    return this.cache.subarray(0, n - (n % b));
  }

  private adapt(ms: number): void {
    if (ms > SLOW_READ_MS) this.window = Math.max(READ_AHEAD_MIN, this.window / 4);
    else if (ms < SLOW_READ_MS / 4) this.window = Math.min(READ_AHEAD_MAX, this.window * 2);
  }

  private dropCache(): void {
    this.cacheStart = this.cacheEnd = 0;
  }

  recover(): string | null {
    this.dropCache();
    this.source?.close();
    this.source = null;
    const b = this.o.blockSize;
    if (this.o.headMoves > 0) this.scratch ??= (this.o.allocate ?? ((n) => new Uint8Array(n)))(b);
    const scratch = this.scratch!;
    for (let k = 0; k < this.o.headMoves; k++) {
      // Move the head to the first and the last block: some drives recalibrate on long seeks.
      for (const where of ["start", "end"] as const) {
        const s = (this.o.openPlain ?? this.o.open)();
        if (typeof s === "string") continue;
        const pos = where === "start" || s.size === null ? 0 : Math.max(0, s.size - b);
        s.read(scratch, b, pos);
        s.close();
      }
    }
    this.o.lowLevel?.afterReadError?.();
    return this.reopen();
  }

  reopen(): string | null {
    const s = this.o.open();
    if (typeof s === "string") return s;
    this.source = s;
    return null;
  }

  skip(to: number, from: number): SkipResult {
    this.dropCache();
    this.source?.close();
    this.source = null;
    const position = this.runSeekScript(to, from);
    const problem = this.reopen();
    return problem === null ? { position } : { position, reopenError: problem };
  }

  /** safecopy's emergency_seek: calls of at most 64 blocks, at least one block each. */
  private runSeekScript(to: number, from: number): number | null {
    if (to === from) return from;
    const script = this.o.seekScript;
    if (!script) return null;
    const b = this.o.blockSize;
    let old = from;
    while (to - old > b * 64) {
      const r = this.runSeekScript(old + b * 64, old);
      if (r === null) return null;
      old = r;
    }
    const delta = Math.max(to - old, b);
    const status = script(Math.floor(delta / b), b, old);
    return status > 0 ? old + b * status : null;
  }

  lowLevelCanSeek(): boolean {
    return this.o.lowLevel?.canSeek?.() ?? false;
  }

  describe(errno: number): string {
    return this.o.describe(errno);
  }

  close(): void {
    this.source?.close();
    this.source = null;
  }
}
