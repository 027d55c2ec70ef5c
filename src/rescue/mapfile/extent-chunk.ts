// The storage unit of a StatusMap: up to CHUNK_CAPACITY extent starts (as doubles, exact
// up to 2^53) and status codes (one byte each) in typed arrays, 9 bytes per extent. A map
// is a sorted list of chunks, so an update shifts at most one chunk's entries instead of
// the whole map, and millions of extents cost megabytes, not gigabytes of JS objects.
// A chunk is shared with map snapshots until the map writes to it: `gen` tells whether
// a snapshot may still hold it (see StatusMap.snapshot()).
import type { BlockStatus } from "./status.ts";

/** Entries per chunk: small enough that shifting one is cheap (at most 36 KiB moved, a few
 *  microseconds), large enough that the chunk list stays short. Fewer, larger allocations also
 *  fragment the allocator less: a map of 3 M extents measured 46 MiB of RSS above the runtime
 *  with 4096 per chunk against 62 MiB with 512, and copy-on-write after a snapshot added 4 MiB
 *  against 19 MiB. */
export const CHUNK_CAPACITY = 4096;

/** Status characters by code; the code of a status is its index here. */
export const STATUS_CHARS = "?*/-+";
export const STATUS_BY_CODE: readonly BlockStatus[] = ["?", "*", "/", "-", "+"];

const CODE_OF_CHAR = new Int8Array(128).fill(-1);
for (let k = 0; k < STATUS_CHARS.length; k++) CODE_OF_CHAR[STATUS_CHARS.charCodeAt(k)] = k;

export function statusCode(s: BlockStatus): number {
  return CODE_OF_CHAR[s.charCodeAt(0)]!;
}

/** Bit set of status codes, from a string of status characters. */
export function statusMask(statuses: string): number {
  let m = 0;
  for (const c of statuses) {
    const k = STATUS_CHARS.indexOf(c);
    if (k >= 0) m |= 1 << k;
  }
  return m;
}

/** Entries moved by inserts and removals, for tests that check updates stay O(chunk), not O(map). */
export const chunkStats = { shifted: 0 };

export class ExtentChunk {
  readonly starts = new Float64Array(CHUNK_CAPACITY);
  readonly codes = new Uint8Array(CHUNK_CAPACITY);
  n = 0;
  /** Bit set of the status codes present, to skip chunks when searching for work. */
  mask = 0;

  constructor(readonly gen: number) {}

  clone(gen: number): ExtentChunk {
    const c = new ExtentChunk(gen);
    c.starts.set(this.starts.subarray(0, this.n));
    c.codes.set(this.codes.subarray(0, this.n));
    c.n = this.n;
    c.mask = this.mask;
    return c;
  }

  refreshMask(): void {
    let m = 0;
    for (let i = 0; i < this.n; i++) m |= 1 << this.codes[i]!;
    this.mask = m;
  }

  /** Index of the last entry starting at or before pos (0 if none). */
  find(pos: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Remove `count` entries at `at`. */
  remove(at: number, count: number): void {
    chunkStats.shifted += this.n - at - count;
    this.starts.copyWithin(at, at + count, this.n);
    this.codes.copyWithin(at, at + count, this.n);
    this.n -= count;
  }

  /** Insert entries at `at`; the caller makes sure they fit. */
  insert(at: number, starts: readonly number[], codes: readonly number[]): void {
    const k = starts.length;
    chunkStats.shifted += this.n - at;
    this.starts.copyWithin(at + k, at, this.n);
    this.codes.copyWithin(at + k, at, this.n);
    for (let j = 0; j < k; j++) {
      this.starts[at + j] = starts[j]!;
      this.codes[at + j] = codes[j]!;
    }
    this.n += k;
  }

  /** Move entries from `at` on into a new chunk (returned). */
  splitAt(at: number, gen: number): ExtentChunk {
    const c = new ExtentChunk(gen);
    c.starts.set(this.starts.subarray(at, this.n));
    c.codes.set(this.codes.subarray(at, this.n));
    c.n = this.n - at;
    this.n = at;
    return c;
  }

  /** Append all of `other`'s entries (the caller makes sure they fit). */
  absorb(other: ExtentChunk): void {
    this.starts.set(other.starts.subarray(0, other.n), this.n);
    this.codes.set(other.codes.subarray(0, other.n), this.n);
    this.n += other.n;
    this.mask |= other.mask;
  }
}
