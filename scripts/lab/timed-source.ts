// Lab: an in-memory failing disk with the simulator's timing model, for fast strategy
// iteration in-process (the real comparison with ddrescue runs under `salvage simulate`).
import type { Source } from "../../src/io/source.ts";

export interface LabExtent { first: number; count: number; kind: "bad" | "weak" | "slow"; fails: number; costNs?: number }
export interface LabTiming { readNs: number; byteNs: number; failNs: number; seekNs: number }
export const labTiming: LabTiming = { readNs: 50_000, byteNs: 6.667, failNs: 200_000_000, seekNs: 8_000_000 };

export class TimedSource implements Source {
  readonly seekable = true;
  readonly alignment = 1;
  readonly path = "lab";
  ns = 0;
  head = 0;
  failed = 0;
  /** Reads that met damage, short ones included (the simulator's error flag). */
  errors = 0;
  reads = 0;
  seeks = 0;
  /** Called after every read (for --trace). */
  onRead?: (pos: number, len: number, result: number, seek: boolean) => void;
  /** [endNs, pos, len] of each successful read, for the curve. */
  good: number[] = [];
  private attempts = new Map<number, number>();
  constructor(
    readonly size: number,
    readonly extents: LabExtent[],
    readonly failWhole: boolean,
    readonly sectorSize = 512,
    readonly t: LabTiming = labTiming,
  ) {}

  private firstAfter(sector: number): number {
    let lo = 0, hi = this.extents.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      const e = this.extents[m]!;
      if (e.first + e.count <= sector) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  read(_buf: Uint8Array, length: number, offset: number): number {
    this.reads++;
    const ss = this.sectorSize;
    if (offset >= this.size || length === 0) return 0;
    const len = Math.min(length, this.size - offset);
    const seek = this.head !== offset;
    if (seek) this.seeks++;
    let cost = (this.head === offset ? 0 : this.t.seekNs) + this.t.readNs;
    const first = Math.floor(offset / ss), last = Math.floor((offset + len - 1) / ss);
    let fail = -1;
    outer: for (let i = this.firstAfter(first); i < this.extents.length && this.extents[i]!.first <= last; i++) {
      const e = this.extents[i]!;
      for (let s = Math.max(first, e.first); s <= Math.min(last, e.first + e.count - 1); s++) {
        if (e.kind === "slow") { cost += e.costNs ?? 0; continue; }
        if (e.kind === "bad") { fail = s; break outer; }
        const a = (this.attempts.get(s) ?? 0) + 1;
        this.attempts.set(s, a);
        if (a <= e.fails) { fail = s; break outer; }
      }
    }
    let good = len;
    if (fail >= 0) {
      this.errors++;
      good = Math.max(0, fail * ss - offset);
      if (good === 0 || this.failWhole) {
        this.ns += cost + this.t.failNs + good * this.t.byteNs;
        this.head = fail * ss + ss;
        this.failed++;
        this.onRead?.(offset, len, -5, seek);
        return -5;
      }
    }
    this.ns += cost + good * this.t.byteNs;
    this.head = offset + good;
    this.good.push(this.ns, offset, good);
    this.onRead?.(offset, len, good, seek);
    return good;
  }
  close(): void {}
}
