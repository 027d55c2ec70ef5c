// Time to data, on a read record written by hand whose answers are worked out by hand below:
// the milestones, error reads before 100 %, the budget, bytes "read" from a bad sector not
// counting, records out of time order, the interval set against a byte array, and the SVG.
import { describe, expect, test } from "bun:test";
import { missing, peer, skippedInside } from "../helpers/needs.ts";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { computeCurve } from "../../src/sim/curve.ts";
import { curvesToSvg } from "../../src/sim/curve-svg.ts";
import { IntervalSet } from "../../src/sim/interval-set.ts";
import { emptyModel, type DamageModel } from "../../src/sim/model.ts";
import { between, rng } from "../../src/sim/random.ts";
import { scratchDir } from "./helpers.ts";

const dir = scratchDir("curve");
const EIO = 5;

/** A record file in the documented layout (docs/simulate.md), written independently of
 *  src/sim/read-record.ts: "SALVRDS1", version 1, record size 40, device size, sector size. */
function recordFile(name: string, size: number, recs: [off: number, len: number, result: number, startS: number, endS: number, flags: number][]): string {
  const buf = Buffer.alloc(32 + 40 * recs.length);
  buf.write("SALVRDS1", 0, "latin1");
  buf.writeUInt32LE(1, 8);
  buf.writeUInt32LE(40, 12);
  buf.writeBigUInt64LE(BigInt(size), 16);
  buf.writeBigUInt64LE(512n, 24);
  recs.forEach(([off, len, result, s, e, flags], i) => {
    const o = 32 + 40 * i;
    buf.writeBigUInt64LE(BigInt(off), o);
    buf.writeUInt32LE(len, o + 8);
    buf.writeInt32LE(result, o + 12);
    buf.writeBigUInt64LE(BigInt(Math.round(s * 1e9)), o + 16);
    buf.writeBigUInt64LE(BigInt(Math.round(e * 1e9)), o + 24);
    buf.writeUInt32LE(flags, o + 32);
    buf.writeUInt32LE(1234, o + 36);
  });
  const p = join(dir, name);
  writeFileSync(p, buf);
  return p;
}

// 100 sectors of 512 bytes, sectors 50-59 bad: 90 readable sectors = 46080 bytes.
// 90 % = 41472 bytes, 99 % = 45619.2, 99.9 % = 46033.92.
const model: DamageModel = { ...emptyModel(512), extents: [{ first: 50, count: 10, kind: "bad", fails: 0, costNs: 0, failCostNs: 0, line: 1 }] };
const ERR = 1;
const records: Parameters<typeof recordFile>[2] = [
  [0, 40960, 40960, 0, 1, 0], //          sectors 0-79, of which 50-59 are bad: +35840 -> 35840
  [40960, 10240, -EIO, 1, 3, ERR], //     error read 1
  [40960, 5120, 5120, 3, 4, 0], //        sectors 80-89: +5120 -> 40960 (88.9 %)
  [46080, 4608, 4608, 4, 6, 0], //        sectors 90-98: +4608 -> 45568 (98.9 %): t90 = 6
  [0, 512, 512, 6, 7, 0], //              again: nothing new
  [50688, 512, 256, 7, 9, ERR | 16], //   half of sector 99, stopped short: error read 2, +256 -> 45824 (99.44 %): t99 = 9
  [50944, 256, 256, 9, 12, 0], //         the rest: +256 -> 46080 (100 %): t99.9 = t100 = 12
  [25600, 512, -EIO, 12, 13.5, ERR], //   error read 3, after 100 %
];

describe("time to data from a read record", () => {
  test("milestones, error reads, totals", () => {
    const c = computeCurve(model, recordFile("hand.rec", 51200, records), { label: "hand" });
    expect(c.readableBytes).toBe(46080);
    expect(c.recoveredBytes).toBe(46080);
    expect(c.missedBytes).toBe(0);
    expect(c.t).toEqual({ "90": 6, "99": 9, "99.9": 12, "100": 12 });
    expect(c.reads).toBe(8);
    expect(c.errorReads).toBe(3);
    expect(c.errorReadsBefore100).toBe(2);
    expect(c.failedReads).toBe(2);
    expect(c.totalSeconds).toBe(13.5);
    expect(c.budget).toBeNull();
    // the curve passes through every step, starting at 0
    expect(c.points[0]).toEqual([0, 0]);
    for (const p of [[1, 35840], [4, 40960], [6, 45568], [9, 45824], [12, 46080]]) expect(c.points).toContainEqual(p as [number, number]);
  });

  test("a budget: readable bytes recovered by reads that ended within it", () => {
    const rec = recordFile("budget.rec", 51200, records);
    expect(computeCurve(model, rec, { label: "b", budgetSeconds: 8 }).budget).toEqual({ seconds: 8, recoveredBytes: 45568, missedBytes: 512 });
    expect(computeCurve(model, rec, { label: "b", budgetSeconds: 0.5 }).budget).toEqual({ seconds: 0.5, recoveredBytes: 0, missedBytes: 46080 });
    expect(computeCurve(model, rec, { label: "b", budgetSeconds: 60 }).budget?.missedBytes).toBe(0);
  });

  test("a run that never gets everything: t100 is null and every error read counts before it", () => {
    const c = computeCurve(model, recordFile("partial.rec", 51200, records.slice(0, 4)), { label: "p" });
    expect(c.t).toEqual({ "90": 6, "99": null, "99.9": null, "100": null });
    expect(c.missedBytes).toBe(512);
    expect(c.errorReadsBefore100).toBe(1);
  });

  test("records appended out of time order (two processes) give the same answer", () => {
    const shuffled = [records[1]!, records[0]!, records[3]!, records[2]!, ...records.slice(4).reverse()];
    const c = computeCurve(model, recordFile("shuffled.rec", 51200, shuffled), { label: "s" });
    expect(c.t).toEqual({ "90": 6, "99": 9, "99.9": 12, "100": 12 });
    expect(c.errorReadsBefore100).toBe(2);
  });

  test("not a record: one clear error", () => {
    writeFileSync(join(dir, "junk.rec"), "not a record at all, not at all");
    expect(() => computeCurve(model, join(dir, "junk.rec"), { label: "j" })).toThrow(/not a salvage read record/);
  });

  test("the SVG overlays every run, with its label escaped, and the budget line", () => {
    const a = computeCurve(model, recordFile("a.rec", 51200, records), { label: "ddrescue <default>", budgetSeconds: 8 });
    const b = computeCurve(model, recordFile("b.rec", 51200, records.slice(0, 4)), { label: "salvage", budgetSeconds: 8 });
    const svg = curvesToSvg([a, b], { title: "t", budgetSeconds: 8 });
    expect(svg.match(/<polyline/g)?.length).toBe(4); // two panels x two runs
    expect(svg).toContain("ddrescue &#60;default&#62;: t90 6 s, t99 9 s");
    expect(svg).toContain("salvage: t90 6 s, t99 never");
    expect(svg).toContain("budget 8 s");
    writeFileSync(join(dir, "c.svg"), svg);
    const rsvg = peer("rsvg-convert");
    if (skippedInside(missing("rsvg-convert"))) return;
    const p = Bun.spawnSync([rsvg!, "-o", join(dir, "c.png"), join(dir, "c.svg")]);
    expect(p.exitCode).toBe(0);
    expect(readFileSync(join(dir, "c.png")).subarray(1, 4).toString()).toBe("PNG");
  });
});

describe("interval set", () => {
  test("new coverage matches a byte array, for random inserts anywhere", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(seed);
      const N = 5000;
      const bits = new Uint8Array(N);
      const set = new IntervalSet();
      for (let i = 0; i < 3000; i++) {
        const a = between(r, 0, N - 1);
        const b = Math.min(N, a + between(r, 0, 60));
        let fresh = 0;
        for (let x = a; x < b; x++) if (!bits[x]) (bits[x] = 1), fresh++;
        expect(set.add(a, b)).toBe(fresh);
      }
      let prevEnd = -1;
      for (const [s, e] of set.entries()) {
        expect(s).toBeGreaterThan(prevEnd); // disjoint, touching ones merged
        expect(e).toBeGreaterThan(s);
        prevEnd = e;
      }
      expect(set.covered).toBe(bits.reduce((n, b) => n + b, 0));
    }
  });
});

test("--domain: only the domain's bytes count (time to all used data)", () => {
  // Domain: sectors 80-99 (none bad) = 10240 bytes. Reads 0-79 add nothing; sectors 80-89
  // (+5120, 50 %) at 4 s; 90-98 (+4608, 95 %) at 6 s: t90 = 6; half of 99 at 9 s (97.5 %);
  // the rest at 12 s: t99 = t100 = 12.
  const c = computeCurve(model, recordFile("domain.rec", 51200, records), { label: "domain", domain: [[40960, 51200]] });
  expect(c.readableBytes).toBe(10240);
  expect(c.recoveredBytes).toBe(10240);
  expect(c.t).toEqual({ "90": 6, "99": 12, "99.9": 12, "100": 12 });
});
