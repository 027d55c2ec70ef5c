// The rescue map: contiguous, sorted extents [start, next start) each with one status,
// covering [0, end). Memory is O(extents), never O(bytes): a 2 TB disk with three bad
// areas is seven numbers. Adjacent extents with equal status are always merged, so the
// map has one canonical form (which is what ddrescue writes).
import type { BlockStatus } from "./status.ts";

export interface Extent {
  pos: number;
  size: number;
  status: BlockStatus;
}

export class StatusMap {
  private starts: number[] = [];
  private states: BlockStatus[] = [];

  constructor(
    public end: number,
    fill: BlockStatus = "?",
  ) {
    if (end > 0) {
      this.starts.push(0);
      this.states.push(fill);
    }
  }

  /** Build from blocks that must be sorted, contiguous and start at 0 (a parsed mapfile). */
  static fromExtents(extents: readonly Extent[], end?: number): StatusMap {
    const last = extents[extents.length - 1];
    const map = new StatusMap(0);
    map.end = end ?? (last ? last.pos + last.size : 0);
    let expected = 0;
    for (const e of extents) {
      if (e.pos !== expected) throw new RangeError(`extents not contiguous at 0x${e.pos.toString(16)}`);
      expected = e.pos + e.size;
      if (e.pos >= map.end) break;
      map.push(e.pos, e.status);
    }
    // A map shorter than the domain is extended with non-tried space (ddrescue does the same).
    if (expected < map.end) map.push(expected, "?");
    return map;
  }

  private push(pos: number, status: BlockStatus): void {
    if (this.states[this.states.length - 1] === status) return;
    this.starts.push(pos);
    this.states.push(status);
  }

  get count(): number {
    return this.starts.length;
  }

  /** Index of the extent containing pos (pos must be in [0, end)). */
  indexAt(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  startOf(i: number): number {
    return this.starts[i]!;
  }

  endOf(i: number): number {
    return i + 1 < this.starts.length ? this.starts[i + 1]! : this.end;
  }

  statusOf(i: number): BlockStatus {
    return this.states[i]!;
  }

  statusAt(pos: number): BlockStatus | undefined {
    return pos >= 0 && pos < this.end ? this.states[this.indexAt(pos)] : undefined;
  }

  /** Give [pos, pos+size) one status, splitting and merging extents as needed. */
  set(pos: number, size: number, status: BlockStatus): void {
    const from = Math.max(0, pos);
    const to = Math.min(this.end, pos + size);
    if (to <= from) return;
    const i = this.indexAt(from);
    const j = this.indexAt(to - 1);
    const newStarts: number[] = [];
    const newStates: BlockStatus[] = [];
    const add = (p: number, s: BlockStatus) => {
      if (newStates[newStates.length - 1] === s) return;
      newStarts.push(p);
      newStates.push(s);
    };
    if (this.starts[i]! < from) add(this.starts[i]!, this.states[i]!);
    add(from, status);
    if (this.endOf(j) > to) add(to, this.states[j]!);
    // Merge with the untouched neighbours on both sides.
    let lo = i;
    let hi = j + 1;
    if (lo > 0 && this.states[lo - 1] === newStates[0]) {
      lo--;
      newStarts[0] = this.starts[lo]!;
    }
    if (hi < this.starts.length && this.states[hi] === newStates[newStates.length - 1]) hi++;
    this.starts.splice(lo, hi - lo, ...newStarts);
    this.states.splice(lo, hi - lo, ...newStates);
  }

  /** Every extent, in order (a snapshot). */
  extents(): Extent[] {
    return this.starts.map((pos, i) => ({ pos, size: this.endOf(i) - pos, status: this.states[i]! }));
  }

  /** Bytes in each status within [from, to). */
  totals(from = 0, to = this.end): Record<BlockStatus, number> {
    const t: Record<BlockStatus, number> = { "?": 0, "*": 0, "/": 0, "-": 0, "+": 0 };
    for (let i = 0; i < this.starts.length; i++) {
      const a = Math.max(from, this.starts[i]!);
      const b = Math.min(to, this.endOf(i));
      if (b > a) t[this.states[i]!] += b - a;
    }
    return t;
  }

  /** Number of separate bad-sector runs (what ddrescue calls bad areas). */
  badAreas(): number {
    return this.states.filter((s) => s === "-").length;
  }
}
