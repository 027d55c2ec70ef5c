// Reading a chunked extent list: lookup by position (two binary searches: chunk, then
// entry), lookup by extent index (a prefix count per chunk, recomputed lazily from the
// first chunk that changed, so a pass working through the map pays O(1) per lookup),
// and scans that allocate nothing per extent. Shared by the live StatusMap and its
// frozen snapshots.
import { ExtentChunk, STATUS_BY_CODE, statusCode } from "./extent-chunk.ts";
import type { BlockStatus } from "./status.ts";

export interface Extent {
  pos: number;
  size: number;
  status: BlockStatus;
}

/** Called per extent with its bounds and status code; return false to stop. */
export type ExtentVisitor = (start: number, end: number, code: number) => boolean | void;

export class ExtentView {
  protected chunks: ExtentChunk[] = [];
  /** Global index of each chunk's first entry; valid for chunks 0..prefixValid. */
  private prefix: number[] = [0];
  private prefixValid = 0;
  protected n = 0;

  constructor(public end: number) {}

  get count(): number {
    return this.n;
  }

  /** Chunks after `k` may have moved in index: forget their prefix counts. */
  protected invalidateFrom(k: number): void {
    if (this.prefix.length !== this.chunks.length) this.prefix.length = Math.max(1, this.chunks.length);
    if (k < this.prefixValid) this.prefixValid = Math.max(0, k);
  }

  protected prefixOf(k: number): number {
    while (this.prefixValid < k) {
      this.prefix[this.prefixValid + 1] = this.prefix[this.prefixValid]! + this.chunks[this.prefixValid]!.n;
      this.prefixValid++;
    }
    return this.prefix[k]!;
  }

  /** Chunk holding the extent that contains pos (the first chunk for pos before the map). */
  protected chunkAt(pos: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.chunks[mid]!.starts[0]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Chunk and offset of the extent with global index i. */
  protected locate(i: number): [chunk: number, offset: number] {
    const last = this.chunks.length - 1;
    // Extend the valid prefix only as far as needed to reach i.
    while (this.prefixValid < last && this.prefix[this.prefixValid]! + this.chunks[this.prefixValid]!.n <= i) this.prefixOf(this.prefixValid + 1);
    let lo = 0;
    let hi = this.prefixValid;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.prefix[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return [lo, i - this.prefix[lo]!];
  }

  /** Start of the entry after (k, o), or the map's end. */
  protected nextStart(k: number, o: number): number {
    const c = this.chunks[k]!;
    if (o + 1 < c.n) return c.starts[o + 1]!;
    return k + 1 < this.chunks.length ? this.chunks[k + 1]!.starts[0]! : this.end;
  }

  /** Index of the extent containing pos (pos must be in [0, end)). */
  indexAt(pos: number): number {
    if (this.n === 0) return 0;
    const k = this.chunkAt(pos);
    return this.prefixOf(k) + this.chunks[k]!.find(pos);
  }

  startOf(i: number): number {
    const [k, o] = this.locate(i);
    return this.chunks[k]!.starts[o]!;
  }

  endOf(i: number): number {
    const [k, o] = this.locate(i);
    return this.nextStart(k, o);
  }

  statusOf(i: number): BlockStatus {
    const [k, o] = this.locate(i);
    return STATUS_BY_CODE[this.chunks[k]!.codes[o]!]!;
  }

  statusAt(pos: number): BlockStatus | undefined {
    if (!(pos >= 0 && pos < this.end) || this.n === 0) return undefined;
    const c = this.chunks[this.chunkAt(pos)]!;
    return STATUS_BY_CODE[c.codes[c.find(pos)]!];
  }

  /** Visit every extent that ends after `from`, in order, until the visitor returns false. */
  scan(visit: ExtentVisitor, from = 0): void {
    if (this.n === 0) return;
    let k = this.chunkAt(from);
    let o = this.chunks[k]!.find(from);
    for (; k < this.chunks.length; k++, o = 0) {
      const c = this.chunks[k]!;
      for (; o < c.n; o++) if (visit(c.starts[o]!, this.nextStart(k, o), c.codes[o]!) === false) return;
    }
  }

  /**
   * The first extent (forwards: ending after pos; backwards: starting before pos) whose
   * status is in `mask` (bits of status codes), as [start, end], or null. Chunks without
   * such a status are skipped whole.
   */
  findWork(pos: number, mask: number, dir: 1 | -1): [number, number] | null {
    if (this.n === 0) return null;
    if (dir > 0) {
      if (pos >= this.end) return null;
      let k = this.chunkAt(Math.max(0, pos));
      let o = this.chunks[k]!.find(pos);
      for (; k < this.chunks.length; k++, o = 0) {
        const c = this.chunks[k]!;
        if ((c.mask & mask) === 0) continue;
        for (; o < c.n; o++) if ((1 << c.codes[o]!) & mask) return [c.starts[o]!, this.nextStart(k, o)];
      }
    } else {
      if (pos <= 0) return null;
      const p = Math.min(pos, this.end) - 1;
      let k = this.chunkAt(p);
      let o = this.chunks[k]!.find(p);
      for (; k >= 0; k--, o = k >= 0 ? this.chunks[k]!.n - 1 : 0) {
        const c = this.chunks[k]!;
        if ((c.mask & mask) === 0) continue;
        for (; o >= 0; o--) if ((1 << c.codes[o]!) & mask) return [c.starts[o]!, this.nextStart(k, o)];
      }
    }
    return null;
  }

  /** Every extent, in order (a snapshot as objects: only for small maps and tests). */
  extents(): Extent[] {
    const out: Extent[] = [];
    this.scan((a, b, code) => void out.push({ pos: a, size: b - a, status: STATUS_BY_CODE[code]! }));
    return out;
  }

  /** Bytes in each status within [from, to), visiting only the extents there. */
  protected totalsIn(from: number, to: number): Record<BlockStatus, number> {
    const t: Record<BlockStatus, number> = { "?": 0, "*": 0, "/": 0, "-": 0, "+": 0 };
    this.scan((a, b, code) => {
      if (a >= to) return false;
      const x = Math.max(from, a);
      const y = Math.min(to, b);
      if (y > x) t[STATUS_BY_CODE[code]!] += y - x;
    }, Math.max(0, from));
    return t;
  }

  /** End of the last extent with this status, or 0 (searching backwards from the end). */
  lastEndOf(status: BlockStatus): number {
    const r = this.findWork(this.end, 1 << statusCode(status), -1);
    return r ? r[1] : 0;
  }
}
