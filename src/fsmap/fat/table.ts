// A File Allocation Table read through the parser's `read` callback: 12-, 16- or 32-bit entries,
// several copies. A rescue reads the FAT from a failing disk, so every chunk that the first copy
// cannot give is asked of the next copy; only a chunk no copy can give is "unknown". Shared by
// FAT12/16/32 and exFAT (whose FAT has 32-bit entries and usually one copy).
import { FsMapError, notYetRead, type ReadBytes } from "../types.ts";

/** Bytes per read: a multiple of 3 (two FAT12 entries), 2 and 4, so no entry straddles chunks. */
const CHUNK = 3 * 4096;
/** When a chunk cannot be read whole: the retry unit, also a multiple of 3, 2 and 4. */
const PIECE = 3 * 512;

export interface FatChunk {
  data: Uint8Array;
  /** Pieces (PIECE bytes each, counted from the chunk's start) that no copy could read. */
  holes: Set<number>;
}

export interface FatTableSpec {
  /** "fat" or "exfat", for errors. */
  filesystem: string;
  bits: 12 | 16 | 32;
  /** Absolute byte offsets of each copy. */
  copies: number[];
  /** Bytes of one copy. */
  bytes: number;
  /** Highest valid cluster number + 1 (entries 0 and 1 are reserved). */
  entries: number;
  /** exFAT: all 32 bits are the entry (FAT32 reserves the top 4, which must be masked off). */
  full32?: boolean;
}

export class FatTable {
  private cachedChunk = -1;
  private cached: FatChunk | null = null;
  readonly entriesPerChunk: number;

  constructor(
    private read: ReadBytes,
    readonly spec: FatTableSpec,
  ) {
    this.entriesPerChunk = (CHUNK * 8) / spec.bits;
  }

  /** Entry values that end a chain, mark a bad cluster, or are free. */
  get badMark(): number {
    return this.spec.bits === 12 ? 0xff7 : this.spec.bits === 16 ? 0xfff7 : this.spec.full32 ? 0xfffffff7 : 0x0ffffff7;
  }

  /**
   * Chunk `i` from the first copy that can read it. When no copy can read it whole, it is put
   * together piece by piece (3 sectors each, any copy), and the pieces none can give are
   * `holes`; null when nothing of it can be read.
   */
  chunk(i: number): FatChunk | null {
    if (i === this.cachedChunk) return this.cached;
    const start = i * CHUNK;
    const length = Math.min(CHUNK, this.spec.bytes - start);
    this.cachedChunk = i;
    this.cached = null;
    for (const copy of this.spec.copies) {
      const data = this.read(copy + start, length);
      if (data) return (this.cached = { data, holes: new Set() });
      // The first copy is not rescued yet: wait for it rather than read the others.
      if (copy === this.spec.copies[0] && notYetRead(this.read, copy + start, length)) return null;
    }
    const data = new Uint8Array(length);
    const holes = new Set<number>();
    for (let p = 0; p * PIECE < length; p++) {
      const n = Math.min(PIECE, length - p * PIECE);
      const piece = this.spec.copies.map((copy) => this.read(copy + start + p * PIECE, n)).find((d) => d !== null);
      if (piece) data.set(piece, p * PIECE);
      else holes.add(p);
    }
    if (holes.size * PIECE < length) this.cached = { data, holes };
    return this.cached;
  }

  /** False when entry k of the chunk lies in a piece no copy could read. */
  readable(c: FatChunk, k: number): boolean {
    return c.holes.size === 0 || !c.holes.has(Math.floor(Math.floor((k * this.spec.bits) / 8) / PIECE));
  }

  get chunks(): number {
    return Math.ceil(this.spec.bytes / CHUNK);
  }

  /** Entry `n` of a chunk's bytes, where `k` is n's index inside the chunk. */
  decode(data: Uint8Array, k: number): number {
    switch (this.spec.bits) {
      case 12: {
        const o = (k * 3) >> 1;
        const v = data[o]! | (data[o + 1]! << 8);
        return k & 1 ? v >> 4 : v & 0xfff;
      }
      case 16:
        return data[k * 2]! | (data[k * 2 + 1]! << 8);
      case 32: {
        const top = this.spec.full32 ? data[k * 4 + 3]! : data[k * 4 + 3]! & 0x0f;
        return (data[k * 4]! | (data[k * 4 + 1]! << 8) | (data[k * 4 + 2]! << 16) | (top << 24)) >>> 0;
      }
    }
  }

  /** Entry n, or null when it is unreadable in every copy. */
  entry(n: number): number | null {
    const c = this.chunk(Math.floor(n / this.entriesPerChunk));
    const k = n % this.entriesPerChunk;
    return c && this.readable(c, k) ? this.decode(c.data, k) : null;
  }

  /**
   * The clusters of the chain starting at `first`, at most `limit` of them. A loop, a link
   * outside the volume or a free entry inside the chain is hostile metadata: one FsMapError
   * line. An unreadable entry ends the walk early (`complete` false).
   */
  chain(first: number, limit: number, what: string): { clusters: number[]; complete: boolean } {
    const clusters: number[] = [];
    const seen = new Set<number>();
    const last = this.spec.entries - 1;
    const fail = (why: string): never => {
      throw new FsMapError(this.spec.filesystem, `${what}: ${why}`);
    };
    let c = first;
    for (;;) {
      if (c < 2 || c > last) fail(`cluster chain reaches cluster ${c}, outside 2..${last}`);
      if (seen.has(c)) fail(`cluster chain loops back to cluster ${c}`);
      if (clusters.length >= limit) fail(`cluster chain longer than ${limit} clusters`);
      seen.add(c);
      clusters.push(c);
      const next = this.entry(c);
      if (next === null) return { clusters, complete: false };
      if (next >= this.badMark + 1) return { clusters, complete: true };
      if (next === this.badMark) fail(`cluster chain runs into bad cluster mark at ${c}`);
      if (next === 0) fail(`cluster chain runs into free cluster at ${c}`);
      c = next;
    }
  }
}
