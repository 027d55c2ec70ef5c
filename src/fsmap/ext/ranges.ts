// Sorted, merged lists of unit ranges built as a parser walks the disk. Groups are visited in
// order, so almost every addition lands at the end: appending (or growing the last range) keeps
// the work linear; an out-of-order addition falls back to a sorted insert and merge.
import type { ByteRange } from "../types.ts";

/** Half-open ranges [start, end) of allocation units, kept sorted and merged. */
export class UnitRanges {
  private starts: number[] = [];
  private ends: number[] = [];

  add(start: number, end: number): void {
    if (end <= start) return;
    const n = this.starts.length;
    if (n === 0 || start > this.ends[n - 1]!) {
      this.starts.push(start);
      this.ends.push(end);
      return;
    }
    if (start >= this.starts[n - 1]!) {
      this.ends[n - 1] = Math.max(this.ends[n - 1]!, end);
      return;
    }
    this.insert(start, end);
  }

  /** Out-of-order addition: find the first range that could touch, merge every one it spans. */
  private insert(start: number, end: number): void {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    let last = lo;
    while (last < this.starts.length && this.starts[last]! <= end) last++;
    const s = lo < last ? Math.min(start, this.starts[lo]!) : start;
    const e = lo < last ? Math.max(end, this.ends[last - 1]!) : end;
    this.starts.splice(lo, last - lo, s);
    this.ends.splice(lo, last - lo, e);
  }

  /** Ranges in any order (descriptors may point anywhere), merged by sweeping the sorted starts
   *  and ends: native numeric sorts, so a hostile scatter costs n log n, never n^2. */
  static fromUnsorted(pairs: Array<[number, number]>): UnitRanges {
    const starts = Float64Array.from(pairs, (p) => p[0]).sort();
    const ends = Float64Array.from(pairs, (p) => p[1]).sort();
    const out = new UnitRanges();
    let open = 0;
    let from = 0;
    for (let i = 0, j = 0; j < ends.length; ) {
      // A range starting where another ends continues it: starts go first on ties.
      if (i < starts.length && starts[i]! <= ends[j]!) {
        if (open++ === 0) from = starts[i]!;
        i++;
      } else {
        if (--open === 0) out.add(from, ends[j]!);
        j++;
      }
    }
    return out;
  }

  get count(): number {
    return this.starts.length;
  }

  *entries(): Generator<[number, number]> {
    for (let i = 0; i < this.starts.length; i++) yield [this.starts[i]!, this.ends[i]!];
  }

  /** As absolute byte ranges of the source: `base` is the volume's offset, `unit` the unit size. */
  toBytes(base: number, unit: number): ByteRange[] {
    const out: ByteRange[] = [];
    for (const [s, e] of this.entries()) out.push({ start: base + s * unit, length: (e - s) * unit });
    return out;
  }
}

/** Walks a UnitRanges in increasing order, answering "which of you lie in [start, end)?". */
export class RangeCursor {
  private i = 0;
  private readonly list: Array<[number, number]>;

  constructor(ranges: UnitRanges) {
    this.list = [...ranges.entries()];
  }

  /** The parts inside [start, end); calls must come with non-decreasing `start`. */
  within(start: number, end: number): Array<[number, number]> {
    while (this.i < this.list.length && this.list[this.i]![1] <= start) this.i++;
    const out: Array<[number, number]> = [];
    for (let j = this.i; j < this.list.length && this.list[j]![0] < end; j++) out.push([Math.max(start, this.list[j]![0]), Math.min(end, this.list[j]![1])]);
    return out;
  }
}
