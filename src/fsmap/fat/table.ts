// A File Allocation Table read through the parser's `read` callback: 12-, 16- or 32-bit entries,
// several copies. A rescue reads the FAT from a failing disk, so every chunk that the first copy
// cannot give is asked of the next copy; only a chunk no copy can give is "unknown". Shared by
// FAT12/16/32 and exFAT (whose FAT has 32-bit entries and usually one copy).
import { FsMapError, type ReadBytes } from "../types.ts";

/** Bytes per read: a multiple of 3 (two FAT12 entries), 2 and 4, so no entry straddles chunks. */
const CHUNK = 3 * 4096;

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
  private cached: Uint8Array | null = null;
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

  /** Chunk `i` of the first copy that can read it, or null when none can. */
  chunk(i: number): Uint8Array | null {
    if (i === this.cachedChunk) return this.cached;
    const start = i * CHUNK;
    const length = Math.min(CHUNK, this.spec.bytes - start);
    let data: Uint8Array | null = null;
    for (const copy of this.spec.copies) {
      data = this.read(copy + start, length);
      if (data) break;
    }
    this.cachedChunk = i;
    this.cached = data;
    return data;
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

  /** Entry n, or null when its chunk is unreadable in every copy. */
  entry(n: number): number | null {
    const data = this.chunk(Math.floor(n / this.entriesPerChunk));
    return data ? this.decode(data, n % this.entriesPerChunk) : null;
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
