// The range lists the ext map is built from, against a plain set of units.
import { expect, test } from "bun:test";
import { RangeCursor, UnitRanges } from "../../src/fsmap/ext/ranges.ts";
import { rng } from "../../scripts/make-ffs-fixture.ts";

const asSet = (r: UnitRanges) => {
  const out: number[] = [];
  for (const [s, e] of r.entries()) for (let u = s; u < e; u++) out.push(u);
  return out;
};
const merged = (r: UnitRanges) => {
  const list = [...r.entries()];
  return list.every(([s, e], i) => e > s && (i === 0 || s > list[i - 1]![1]));
};

test("added in any order, or sorted once, the ranges are the union, sorted and merged", () => {
  const rand = rng(5);
  for (let round = 0; round < 200; round++) {
    const pairs: Array<[number, number]> = [];
    const units = new Set<number>();
    for (let k = 0, n = rand(30); k < n; k++) {
      const s = rand(300);
      const e = s + rand(12);
      pairs.push([s, e]);
      for (let u = s; u < e; u++) units.add(u);
    }
    const expected = [...units].sort((a, b) => a - b);
    const byAdd = new UnitRanges();
    for (const [s, e] of pairs) byAdd.add(s, e);
    const sorted = UnitRanges.fromUnsorted(pairs.map((p) => [...p] as [number, number]));
    for (const r of [byAdd, sorted]) {
      expect(asSet(r)).toEqual(expected);
      expect(merged(r)).toBe(true);
    }
  }
});

test("the cursor clips the ranges to each window, windows in increasing order", () => {
  const r = UnitRanges.fromUnsorted([[2, 5], [8, 20], [25, 26]]);
  const c = new RangeCursor(r);
  expect([c.within(0, 4), c.within(4, 10), c.within(10, 25), c.within(25, 30), c.within(30, 40)]).toEqual([[[2, 4]], [[4, 5], [8, 10]], [[10, 20]], [[25, 26]], []]);
  expect(r.toBytes(1000, 512)).toEqual([{ start: 2024, length: 1536 }, { start: 5096, length: 6144 }, { start: 13800, length: 512 }]);
});
