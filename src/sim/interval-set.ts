// A set of numbers kept as disjoint half-open intervals [start, end), for "which bytes has
// any read recovered yet". Touching intervals merge. The intervals live in sorted chunks of
// a few hundred, so an insert anywhere (a reverse pass, a retry far away) costs a binary
// search plus a short splice, and memory grows with the number of gaps, never with bytes.
const SPLIT = 256;

interface Chunk {
  s: number[];
  e: number[];
}

export class IntervalSet {
  private chunks: Chunk[] = [];
  /** Total length of all intervals. */
  covered = 0;

  get intervals(): number {
    return this.chunks.reduce((n, c) => n + c.s.length, 0);
  }

  /** Add [a, b); returns how much of it was not covered before. */
  add(a: number, b: number): number {
    if (!(a < b)) return 0;
    let ci = this.firstChunkEndingAtOrAfter(a);
    if (ci === this.chunks.length) {
      // after everything: append
      if (ci === 0) this.chunks.push({ s: [], e: [] });
      else ci--;
      const c = this.chunks[ci]!;
      c.s.push(a);
      c.e.push(b);
      this.splitIfLarge(ci);
      this.covered += b - a;
      return b - a;
    }
    const c = this.chunks[ci]!;
    const i = firstAtOrAfter(c.e, a);
    if (c.s[i]! > b) {
      // in a gap: a new interval
      c.s.splice(i, 0, a);
      c.e.splice(i, 0, b);
      this.splitIfLarge(ci);
      this.covered += b - a;
      return b - a;
    }
    // overlaps or touches interval i: i absorbs every later interval starting at or before b
    let overlap = Math.max(0, Math.min(b, c.e[i]!) - Math.max(a, c.s[i]!));
    let end = Math.max(b, c.e[i]!);
    let emptied = false;
    for (let cj = ci, k = i + 1; cj < this.chunks.length; cj++, k = 0) {
      const d = this.chunks[cj]!;
      const len = d.s.length;
      let m = k;
      for (; m < len && d.s[m]! <= b; m++) {
        overlap += Math.min(b, d.e[m]!) - d.s[m]!;
        end = Math.max(end, d.e[m]!);
      }
      if (m > k) {
        d.s.splice(k, m - k);
        d.e.splice(k, m - k);
        emptied ||= d.s.length === 0;
      }
      if (m < len) break; // stopped at an interval starting after b
    }
    c.s[i] = Math.min(a, c.s[i]!);
    c.e[i] = end;
    if (emptied) this.chunks = this.chunks.filter((x) => x.s.length > 0);
    const added = b - a - overlap;
    this.covered += added;
    return added;
  }

  /** Every interval, in order (for tests and debugging). */
  *entries(): Generator<[number, number]> {
    for (const c of this.chunks) for (let i = 0; i < c.s.length; i++) yield [c.s[i]!, c.e[i]!];
  }

  private firstChunkEndingAtOrAfter(a: number): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.chunks[mid]!;
      if (c.e[c.e.length - 1]! < a) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private splitIfLarge(ci: number): void {
    const c = this.chunks[ci]!;
    if (c.s.length <= SPLIT) return;
    const half = c.s.length >> 1;
    this.chunks.splice(ci + 1, 0, { s: c.s.splice(half), e: c.e.splice(half) });
  }
}

/** First index whose value is >= x in a sorted array (its length when none). */
function firstAtOrAfter(v: number[], x: number): number {
  let lo = 0;
  let hi = v.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
