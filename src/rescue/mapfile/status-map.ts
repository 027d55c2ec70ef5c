// The rescue map: contiguous, sorted extents [start, next start) each with one status,
// covering [0, end). Memory is O(extents), never O(bytes): a 2 TB disk with three bad
// areas is seven numbers. Adjacent extents with equal status are always merged, so the
// map has one canonical form (which is what ddrescue writes).
//
// Extents live in chunks of typed arrays (extent-chunk.ts): about 9 to 18 bytes per
// extent, lookups in O(log n) and an update shifts one chunk's entries only. Byte and
// extent counts per status are kept up to date on every change, so progress displays
// and totals of the whole map cost nothing. snapshot() freezes the map in O(chunks) for
// a background save: chunks are copied only when the live map next writes to them.
import { CHUNK_CAPACITY, ExtentChunk, STATUS_BY_CODE, statusCode } from "./extent-chunk.ts";
import { ExtentView, type Extent } from "./extent-view.ts";
import type { BlockStatus } from "./status.ts";

export type { Extent } from "./extent-view.ts";

/** A frozen copy of a map (shares unchanged chunks with it): what a background save writes. */
export class MapSnapshot extends ExtentView {
  constructor(chunks: ExtentChunk[], end: number, count: number) {
    super(end);
    this.chunks = chunks;
    this.n = count;
    this.invalidateFrom(0);
  }
}

export class StatusMap extends ExtentView {
  private readonly bytes = new Float64Array(5);
  private readonly runs = new Float64Array(5);
  /** Chunks with gen <= frozen may be held by a snapshot: copy before writing. */
  private gen = 0;
  private frozen = -1;
  /** Whether bytes/runs are up to date (not while extents are being appended). */
  private counted = false;
  private readonly newStarts: number[] = [];
  private readonly newCodes: number[] = [];

  constructor(end: number, fill: BlockStatus = "?") {
    super(end);
    if (end > 0) this.appendExtent(0, statusCode(fill));
    this.recount();
  }

  /** Build from blocks that must be sorted, contiguous and start at 0 (a parsed mapfile). */
  static fromExtents(extents: readonly Extent[], end?: number): StatusMap {
    const last = extents[extents.length - 1];
    const map = new StatusMap(0);
    const mapEnd = end ?? (last ? last.pos + last.size : 0);
    let expected = 0;
    for (const e of extents) {
      if (e.pos !== expected) throw new RangeError(`extents not contiguous at 0x${e.pos.toString(16)}`);
      expected = e.pos + e.size;
      if (e.pos >= mapEnd) break;
      map.appendExtent(e.pos, statusCode(e.status));
    }
    map.sealAppends(mapEnd, expected);
    return map;
  }

  /**
   * Append an extent starting at pos, after every existing one (building a map from a
   * sorted source); merged with the last one when the status is the same. Call
   * sealAppends() when done.
   */
  appendExtent(pos: number, code: number): void {
    this.counted = false;
    let c = this.chunks[this.chunks.length - 1];
    if (c && c.codes[c.n - 1] === code) return;
    if (!c || c.n === CHUNK_CAPACITY || c.gen <= this.frozen) {
      c = new ExtentChunk(this.gen);
      this.chunks.push(c);
    }
    c.starts[c.n] = pos;
    c.codes[c.n++] = code;
    c.mask |= 1 << code;
    this.n++;
  }

  /**
   * Finish appending: the map ends at `end`, and the extents appended cover [0, covered).
   * A map shorter than `end` is extended with non-tried space (as ddrescue does).
   */
  sealAppends(end: number, covered: number): void {
    const wasCounted = this.counted;
    const before = this.n;
    if (covered < end) this.appendExtent(covered, 0);
    this.end = end;
    this.invalidateFrom(0);
    if (wasCounted && covered < end) {
      // Only extended with non-tried space (a resumed map shorter than the source).
      this.bytes[0]! += end - covered;
      if (this.n > before) this.runs[0]!++;
      this.counted = true;
    } else this.recount();
  }

  private recount(): void {
    this.counted = true;
    this.bytes.fill(0);
    this.runs.fill(0);
    this.scan((a, b, code) => {
      this.bytes[code]! += b - a;
      this.runs[code]!++;
    });
  }

  /** A frozen view of the map as it is now, in O(number of chunks). */
  snapshot(): MapSnapshot {
    this.frozen = this.gen++;
    return new MapSnapshot(this.chunks.slice(), this.end, this.n);
  }

  private writable(k: number): ExtentChunk {
    const c = this.chunks[k]!;
    if (c.gen > this.frozen) return c;
    return (this.chunks[k] = c.clone(this.gen));
  }

  /** Give [pos, pos+size) one status, splitting and merging extents as needed. */
  set(pos: number, size: number, status: BlockStatus): void {
    const from = Math.max(0, pos);
    const to = Math.min(this.end, pos + size);
    if (to <= from || this.n === 0) return;
    const code = statusCode(status);
    const ki = this.chunkAt(from);
    const oi = this.chunks[ki]!.find(from);
    const kj = this.chunkAt(to - 1);
    const oj = this.chunks[kj]!.find(to - 1);
    const codeI = this.chunks[ki]!.codes[oi]!;
    if (ki === kj && oi === oj && codeI === code) return; // nothing changes
    const startI = this.chunks[ki]!.starts[oi]!;
    const endJ = this.nextStart(kj, oj);
    if (ki === kj && oi === oj && this.moveBoundary(ki, oi, from, to, startI, endJ, code)) return;
    // The new extents of [startI, endJ): reused arrays, so an update allocates nothing.
    const starts = this.newStarts;
    const codes = this.newCodes;
    starts.length = codes.length = 0;
    if (startI < from) starts.push(startI), codes.push(codeI);
    if (codes[codes.length - 1] !== code) starts.push(from), codes.push(code);
    const codeJ = this.chunks[kj]!.codes[oj]!;
    if (endJ > to && codes[codes.length - 1] !== codeJ) starts.push(to), codes.push(codeJ);
    let lo = this.prefixOf(ki) + oi;
    let hi = this.prefixOf(kj) + oj + 1;
    let regionEnd = endJ;
    // Merge with the untouched neighbours on both sides.
    if (lo > 0) {
      const [pk, po] = this.locate(lo - 1);
      if (this.chunks[pk]!.codes[po] === codes[0]) {
        lo--;
        starts[0] = this.chunks[pk]!.starts[po]!;
      }
    }
    if (hi < this.n) {
      const [nk, no] = this.locate(hi);
      if (this.chunks[nk]!.codes[no] === codes[codes.length - 1]) {
        regionEnd = this.nextStart(nk, no);
        hi++;
      }
    }
    this.account(starts[0]!, regionEnd, starts, codes);
    this.replace(lo, hi - lo, starts, codes);
  }

  /**
   * The common case of a rescue reading on from an edge: [from, to) lies inside one
   * extent and touches its start (or end), and the neighbour on that side already has
   * the new status. Only the boundary between the two moves: O(1), nothing shifts.
   */
  private moveBoundary(k: number, o: number, from: number, to: number, start: number, end: number, code: number): boolean {
    const old = this.chunks[k]!.codes[o]!;
    if (from === start && to < end && from > 0) {
      const prev = o > 0 ? this.chunks[k]!.codes[o - 1] : this.chunks[k - 1]!.codes[this.chunks[k - 1]!.n - 1];
      if (prev !== code) return false;
      this.writable(k).starts[o] = to;
    } else if (to === end && from > start && end < this.end) {
      const inChunk = o + 1 < this.chunks[k]!.n;
      const next = inChunk ? this.chunks[k]!.codes[o + 1] : this.chunks[k + 1]!.codes[0];
      if (next !== code) return false;
      if (inChunk) this.writable(k).starts[o + 1] = from;
      else this.writable(k + 1).starts[0] = from;
    } else return false;
    this.bytes[code]! += to - from;
    this.bytes[old]! -= to - from;
    return true;
  }

  /** Move the per-status counters from the extents in [from, to) to the new ones. */
  private account(from: number, to: number, starts: readonly number[], codes: readonly number[]): void {
    this.scan((a, b, code) => {
      if (a >= to) return false;
      this.bytes[code]! -= b - a;
      this.runs[code]!--;
    }, from);
    for (let j = 0; j < starts.length; j++) {
      this.bytes[codes[j]!]! += (j + 1 < starts.length ? starts[j + 1]! : to) - starts[j]!;
      this.runs[codes[j]!]!++;
    }
  }

  /** Replace `del` extents from global index lo with the given ones (at least one). */
  private replace(lo: number, del: number, starts: readonly number[], codes: readonly number[]): void {
    const [k, o] = this.locate(lo);
    let rem = del;
    let kk = k;
    let oo = o;
    let dropped = 0;
    while (rem > 0) {
      const c = this.chunks[kk]!;
      const take = Math.min(rem, c.n - oo);
      if (kk !== k && oo === 0 && take === c.n) dropped++;
      else {
        const w = this.writable(kk);
        w.remove(oo, take);
        w.refreshMask();
      }
      rem -= take;
      kk++;
      oo = 0;
    }
    if (dropped > 0) this.chunks.splice(k + 1, dropped);
    let c = this.writable(k);
    if (c.n + starts.length > CHUNK_CAPACITY) {
      // A rescue grows the map at one end of where it reads: split there, so the chunk
      // left behind stays full (~9 bytes per extent, not ~18); elsewhere split in the middle.
      const at = o <= 8 || o >= c.n - 8 ? o : c.n >> 1;
      const right = c.splitAt(at, this.gen);
      this.chunks.splice(k + 1, 0, right);
      const intoLeft = o < at || (o === at && at + starts.length <= CHUNK_CAPACITY);
      if (intoLeft) c.insert(o, starts, codes);
      else right.insert(o - at, starts, codes);
      right.refreshMask();
      c.refreshMask();
    } else {
      c.insert(o, starts, codes);
      c.refreshMask();
    }
    this.n += starts.length - del;
    this.mergeSmall(k);
    this.invalidateFrom(k - 1);
  }

  /** Keep chunks reasonably full: join chunk k with a neighbour when both are small. */
  private mergeSmall(k: number): void {
    const limit = (CHUNK_CAPACITY * 3) >> 2;
    for (const left of [k, k - 1]) {
      const a = this.chunks[left];
      const b = this.chunks[left + 1];
      if (!a || !b || a.n + b.n > limit) continue;
      this.writable(left).absorb(b);
      this.chunks.splice(left + 1, 1);
      return;
    }
  }

  /**
   * Give every extent with status `from` the status `to` (non-tried → non-scraped at the end
   * of probing, non-trimmed → non-scraped with --no-trim). In place, chunk by chunk, then one
   * sweep merging the neighbours that now match: no set() per extent, whose short-lived
   * arrays a million-area map turned into a 75 MiB RSS spike at the end of a run.
   */
  relabel(from: BlockStatus, to: BlockStatus): void {
    const f = statusCode(from);
    const t = statusCode(to);
    if (f === t || this.runs[f] === 0) return;
    for (let k = 0; k < this.chunks.length; k++) {
      if ((this.chunks[k]!.mask & (1 << f)) === 0) continue;
      const c = this.writable(k);
      for (let i = 0; i < c.n; i++) if (c.codes[i] === f) c.codes[i] = t;
      c.refreshMask();
    }
    // An entry with the status of the one before it continues that extent: drop it.
    let prev = -1;
    let emptied = false;
    for (let k = 0; k < this.chunks.length; k++) {
      let c = this.chunks[k]!;
      let merges = c.codes[0] === prev;
      for (let i = 1; i < c.n && !merges; i++) merges = c.codes[i] === c.codes[i - 1];
      if (merges) {
        c = this.writable(k);
        let w = 0;
        for (let i = 0; i < c.n; i++) {
          const code = c.codes[i]!;
          if ((w === 0 ? prev : c.codes[w - 1]) === code) continue;
          c.starts[w] = c.starts[i]!;
          c.codes[w++] = code;
        }
        this.n -= c.n - w;
        c.n = w;
        c.refreshMask();
        if (w === 0) emptied = true;
      }
      if (c.n > 0) prev = c.codes[c.n - 1]!;
    }
    if (emptied) this.chunks = this.chunks.filter((c) => c.n > 0);
    this.invalidateFrom(0);
    this.recount();
  }

  /** Bytes in each status within [from, to). */
  totals(from = 0, to = this.end): Record<BlockStatus, number> {
    if (from <= 0 && to >= this.end) {
      const t = {} as Record<BlockStatus, number>;
      STATUS_BY_CODE.forEach((s, code) => (t[s] = this.bytes[code]!));
      return t;
    }
    return this.totalsIn(from, to);
  }

  /** Number of separate bad-sector runs (what ddrescue calls bad areas). */
  badAreas(): number {
    return this.runs[statusCode("-")]!;
  }

  /** Number of extents with this status. */
  runsOf(status: BlockStatus): number {
    return this.runs[statusCode(status)]!;
  }
}
