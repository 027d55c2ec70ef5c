// The getfree index: which disk fragment each output fragment came from, so that
// textpieces can report real disk offsets. Text, one run per line:
//   # salvage getfree index v1
//   fsize 1024
//   base 0
//   <first output fragment> <first disk fragment> <count>
// Runs keep it O(extents): a mostly-free disk gives few lines, not one per fragment.

export interface IndexRun {
  stream: number;
  disk: number;
  count: number;
}

export class FragmentIndexBuilder {
  readonly runs: IndexRun[] = [];
  private streamNext = 0;

  add(disk: number, count: number): void {
    const last = this.runs[this.runs.length - 1];
    if (last && last.disk + last.count === disk) last.count += count;
    else this.runs.push({ stream: this.streamNext, disk, count });
    this.streamNext += count;
  }

  get fragments(): number {
    return this.streamNext;
  }
}

export function formatIndexHeader(fsize: number, base: number): string {
  return `# salvage getfree index v1\nfsize ${fsize}\nbase ${base}\n`;
}

export function formatIndexRun(r: IndexRun): string {
  return `${r.stream} ${r.disk} ${r.count}\n`;
}

export class FragmentIndex {
  constructor(readonly fsize: number, readonly base: number, readonly runs: IndexRun[]) {}

  static parse(text: string): FragmentIndex {
    const lines = text.split("\n");
    if (!lines[0]?.startsWith("# salvage getfree index v1")) throw new Error("not a salvage getfree index (first line)");
    let fsize = 0;
    let base = 0;
    const runs: IndexRun[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === "" || line.startsWith("#")) continue;
      const parts = line.split(/\s+/);
      if (parts[0] === "fsize") fsize = Number(parts[1]);
      else if (parts[0] === "base") base = Number(parts[1]);
      else {
        const [s, d, c] = parts.map(Number);
        if (parts.length !== 3 || ![s, d, c].every((v) => Number.isSafeInteger(v) && v! >= 0)) throw new Error(`index line ${i + 1}: expected three numbers`);
        const prev = runs[runs.length - 1];
        if (prev && s! !== prev.stream + prev.count) throw new Error(`index line ${i + 1}: runs out of order`);
        runs.push({ stream: s!, disk: d!, count: c! });
      }
    }
    if (!Number.isSafeInteger(fsize) || fsize < 512 || (fsize & (fsize - 1)) !== 0) throw new Error("index has no valid fsize line");
    return new FragmentIndex(fsize, base, runs);
  }

  /** Index of the run holding output fragment n, or -1. Runs are sorted: binary search. */
  private runOf(n: number): number {
    let lo = 0;
    let hi = this.runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.runs[mid]!;
      if (n < r.stream) hi = mid - 1;
      else if (n >= r.stream + r.count) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /** Disk fragment of output fragment n, or null beyond the index. */
  diskFragment(n: number): number | null {
    const k = this.runOf(n);
    if (k < 0) return null;
    const r = this.runs[k]!;
    return r.disk + (n - r.stream);
  }

  /** Disk fragment ranges [first, last] holding output fragments a..b, in stream order. */
  diskRanges(a: number, b: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let k = this.runOf(a), n = a; k >= 0 && k < this.runs.length && n <= b; k++) {
      const r = this.runs[k]!;
      const d = r.disk + (n - r.stream);
      const take = Math.min(b - n + 1, r.stream + r.count - n);
      const last = out[out.length - 1];
      if (last && last[1] + 1 === d) last[1] = d + take - 1;
      else out.push([d, d + take - 1]);
      n += take;
    }
    return out;
  }
}
