// What the engine believes across the gaps of a sparse domain (the ranges of rescue
// --used-first, with domainEdgeGood off): a bad area that runs through a gap is not taken
// for good data at the gap's edges, and a gap is not taken for part of a bad area.
import { describe, expect, test } from "bun:test";
import { randomData, rescue } from "./helpers.ts";
import { Domain } from "../../src/rescue/mapfile/domain.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { MemorySource } from "../../src/io/memory-source.ts";
import type { RescueContext } from "../../src/rescue/mapfile/context.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
type Reads = { source: { reads: { offset: number; length: number; result: number }[] } };
const failed = (run: Reads) => run.source.reads.filter((r) => r.result < 0);

describe("a bad area running through the gaps between ranges", () => {
  // Ranges A, B, C. A first bad area of 256 KiB inside A shows how large areas are here;
  // the second starts in A, covers B wholly and ends in C, across gaps of 100 and 50 KiB.
  const damage = { bad: [[200 * KiB, 456 * KiB], [1024 * KiB, 2048 * KiB]] as Array<[number, number]>, failWhole: true };
  const domain = new Domain([[0, 1100 * KiB], [1200 * KiB, 1300 * KiB], [1350 * KiB, 3 * MiB]]);
  const options = { noScrape: true, retries: 0, domainEdgeGood: false };

  test("the trailing edges of A and B are not trimmed: bad sectors lie across the gap", async () => {
    const run = await rescue(randomData(3 * MiB), damage, options, { domain });
    // A trimming read at a range's end: a few sectors ending there.
    const atEnd = (end: number) => failed(run).filter((r) => r.offset + r.length === end && r.length <= 32 * 512);
    expect(atEnd(1100 * KiB)).toEqual([]);
    expect(atEnd(1300 * KiB)).toEqual([]);
    // The readable data on both sides of the areas is all out.
    for (const good of [200 * KiB - 512, 456 * KiB, 1024 * KiB - 512, 2048 * KiB]) expect(run.map.statusAt(good)).toBe("+");
  });

  test("with the domain's edges counted as good (rescue -m), they are trimmed as before", async () => {
    const run = await rescue(randomData(3 * MiB), damage, { ...options, domainEdgeGood: true }, { domain });
    expect(failed(run).some((r) => r.offset + r.length === 1300 * KiB && r.length <= 32 * 512)).toBe(true);
  });

  test("a gap wider than any bad area measured: the edge next to it is trimmed", async () => {
    // Two areas of 128 KiB: one across A's end, one at B's start, 900 KiB further on.
    const wide = new Domain([[0, 600 * KiB], [1500 * KiB, 2 * MiB]]);
    const two = { bad: [[512 * KiB, 640 * KiB], [1500 * KiB, 1628 * KiB]] as Array<[number, number]>, failWhole: true };
    const run = await rescue(randomData(2 * MiB), two, options, { domain: wide });
    expect(failed(run).some((r) => r.offset + r.length === 600 * KiB && r.length <= 32 * 512)).toBe(true);
  });
});

describe("next to a failed read that is not trimmed yet, across a narrow gap", () => {
  const options = { noScrape: true, retries: 0, domainEdgeGood: false };

  test("the areas measured are wider than the gap: the area goes on through it", async () => {
    // A first area of 256 KiB shows how large areas are here. The second covers range B and
    // the start of range C, 68 KiB after B; pass 1 fails at C's start.
    const damage = { bad: [[200 * KiB, 456 * KiB], [1500 * KiB, 2600 * KiB]] as Array<[number, number]>, failWhole: true };
    const domain = new Domain([[0, 1000 * KiB], [2000 * KiB, 2200 * KiB], [2268 * KiB, 4 * MiB]]);
    const run = await rescue(randomData(4 * MiB), damage, options, { domain });
    expect(failed(run).filter((r) => r.offset + r.length === 2200 * KiB)).toEqual([]);
    expect(failed(run).filter((r) => r.offset === 2268 * KiB && r.length === 512)).toEqual([]);
    expect(run.map.statusAt(2600 * KiB)).toBe("+");
  });

  test("no area measured yet (small defects): both edges are read, the data between comes out", async () => {
    // Two defects of 4 KiB, one in each range, 2 KiB apart; nothing scraped.
    const damage = { bad: [[140 * KiB, 144 * KiB], [156 * KiB, 160 * KiB]] as Array<[number, number]>, failWhole: true };
    const run = await rescue(randomData(MiB), damage, options, { domain: new Domain([[0, 150 * KiB], [152 * KiB, MiB]]) });
    for (let p = 144 * KiB; p < 150 * KiB; p += 512) expect(run.map.statusAt(p)).toBe("+");
    for (let p = 152 * KiB; p < 156 * KiB; p += 512) expect(run.map.statusAt(p)).toBe("+");
  });
});

describe("a skip that lands across a gap of the domain", () => {
  test("the bad area counts as reaching as far as the failed reads went, not across the gap", async () => {
    // The area ends with range A, after several failed reads; pass 1 escapes into range B,
    // 4 MiB further on.
    const domain = new Domain([[0, MiB], [5 * MiB, 6 * MiB]]);
    const run = await rescue(randomData(6 * MiB), { bad: [[128 * KiB, MiB]], failWhole: true }, { noScrape: true, retries: 0, domainEdgeGood: false }, { domain });
    expect(run.ctx.largestArea).toBeGreaterThan(0);
    expect(run.ctx.largestArea).toBeLessThanOrEqual(MiB - 128 * KiB);
    expect(run.map.statusAt(5 * MiB)).toBe("+");
  });
});

describe("trimming order with a sparse domain", () => {
  test("edges next to good data the map shows come before edges at a gap (a third sweep)", async () => {
    // A ends inside a bad area that ends in the gap (B starts with good data): A's end is an
    // edge at a gap. Further on, a small area inside B has good data on both sides.
    const damage = { bad: [[900 * KiB, 1100 * KiB], [2000 * KiB, 2100 * KiB]] as Array<[number, number]>, failWhole: true };
    const domain = new Domain([[0, 1000 * KiB], [1200 * KiB, 3 * MiB]]);
    const run = await rescue(randomData(3 * MiB), damage, { noScrape: true, retries: 0, domainEdgeGood: false }, { domain });
    const reads = run.source.reads;
    const lastAt = (a: number, b: number) => reads.findLastIndex((r) => r.offset >= a && r.offset < b);
    const firstAt = (a: number, b: number) => reads.findIndex((r) => r.offset >= a && r.offset < b && r.result < 0 && r.length <= 32 * 512 && r.offset + r.length === 1000 * KiB);
    const gapEdge = firstAt(900 * KiB, 1000 * KiB);
    expect(gapEdge).toBeGreaterThan(-1); // A's end was trimmed after all
    expect(lastAt(2000 * KiB, 2200 * KiB)).toBeLessThan(gapEdge);
    for (const good of [900 * KiB - 512, 2000 * KiB - 512, 2100 * KiB]) expect(run.map.statusAt(good)).toBe("+");
  });

  test("interrupted in the third sweep and resumed: the same map as one run", async () => {
    const damage = { bad: [[900 * KiB, 1100 * KiB], [2000 * KiB, 2100 * KiB]] as Array<[number, number]>, failWhole: true };
    const domain = new Domain([[0, 1000 * KiB], [1200 * KiB, 3 * MiB]]);
    const data = randomData(3 * MiB);
    const options = { retries: 0, domainEdgeGood: false };
    const whole = await rescue(data, damage, options, { domain });
    for (const k of [0, 1]) {
      const source = new MemorySource(data, damage);
      const map = new StatusMap(data.length);
      let ctx: RescueContext | null = null;
      let sweepStart = -1;
      const first = await rescue(data, damage, options, {
        domain, map, source,
        hooks: {
          checkpoint: (c) => void (ctx = c),
          stopRequested: () => {
            const at = ctx?.current;
            if (at?.status !== "*" || at.pass !== 3) return null;
            if (sweepStart < 0) sweepStart = source.reads.length;
            return source.reads.length - sweepStart >= k ? "test" : null;
          },
        },
      });
      expect(first.outcome).toBe("interrupted");
      expect(first.ctx.current).toMatchObject({ status: "*", pass: 3 });
      const second = await rescue(data, damage, options, { domain, map, source, resume: first.ctx.current });
      expect(second.outcome).toBe("finished");
      expect(map.extents()).toEqual(whole.map.extents());
    }
  });

  test("a plain run continuing a map left in the third sweep trims what that sweep had left", async () => {
    const damage = { bad: [[900 * KiB, 1100 * KiB], [2000 * KiB, 2100 * KiB]] as Array<[number, number]>, failWhole: true };
    const domain = new Domain([[0, 1000 * KiB], [1200 * KiB, 3 * MiB]]);
    const data = randomData(3 * MiB);
    const source = new MemorySource(data, damage);
    const map = new StatusMap(data.length);
    let ctx: RescueContext | null = null;
    const first = await rescue(data, damage, { noScrape: true, retries: 0, domainEdgeGood: false }, {
      domain, map, source,
      hooks: { checkpoint: (c) => void (ctx = c), stopRequested: () => (ctx?.current.status === "*" && ctx.current.pass === 3 ? "test" : null) },
    });
    expect(first.ctx.current).toMatchObject({ status: "*", pass: 3 });
    expect(map.extents().some((x) => x.status === "*")).toBe(true);
    // Continued as a plain rescue over the whole disk (no third sweep there).
    const plain = await rescue(data, damage, { noScrape: true, retries: 0 }, { map, source, resume: first.ctx.current });
    expect(plain.outcome).toBe("finished");
    expect(map.extents().filter((x) => x.status === "*")).toEqual([]);
  });
});
