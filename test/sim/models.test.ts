// The shapes of the failure models of `simulate make` (pattern-models.ts): each one looks
// like the failure it stands for, its parameters change it, the same seed gives the same
// disk, and bad parameters are one clear error.
import { describe, expect, test } from "bun:test";
import type { DamageExtent } from "../../src/sim/model.ts";
import { makePattern, PatternError } from "../../src/sim/patterns.ts";

const SECTORS = 131072; // 64 MiB of 512-byte sectors
const bad = (x: DamageExtent[]) => x.filter((e) => e.kind === "bad");

/** Bad extents grouped into areas: extents closer than `gap` sectors belong together. */
function areas(x: DamageExtent[], gap: number): { first: number; end: number; runs: DamageExtent[] }[] {
  const out: { first: number; end: number; runs: DamageExtent[] }[] = [];
  for (const e of bad(x)) {
    const last = out[out.length - 1];
    if (last && e.first - last.end < gap) {
      last.end = e.first + e.count;
      last.runs.push(e);
    } else out.push({ first: e.first, end: e.first + e.count, runs: [e] });
  }
  return out;
}

function valid(x: DamageExtent[]): void {
  for (let i = 1; i < x.length; i++) expect(x[i]!.first).toBeGreaterThanOrEqual(x[i - 1]!.first + x[i - 1]!.count);
  for (const e of x) expect(e.first + e.count).toBeLessThanOrEqual(SECTORS);
}

describe("failure models", () => {
  test("areas: a few solid bad areas of the given length", () => {
    const x = makePattern("areas", SECTORS, 1);
    valid(x);
    const a = areas(x, 1);
    expect(a.length).toBeGreaterThanOrEqual(3); // 4, unless two happened to touch
    expect(a.length).toBeLessThanOrEqual(4);
    for (const e of x) expect(e.count).toBeGreaterThanOrEqual(1500);
    const two = makePattern("areas", SECTORS, 1, { count: "2", length: "100" });
    expect(two.map((e) => e.count)).toEqual([100, 100]);
  });

  test("head: a bad band in every period, across the whole disk, with ragged edges", () => {
    const x = makePattern("head", SECTORS, 7);
    valid(x);
    const bands = areas(x, 200); // the ragged edges' gaps are a few sectors; bands are ~2600 apart
    // one band every 3000-3400 sectors from the start to the end of the disk
    expect(bands.length).toBeGreaterThanOrEqual(Math.floor(SECTORS / 3400) - 1);
    expect(bands.length).toBeLessThanOrEqual(Math.ceil(SECTORS / 3000) + 1);
    expect(bands[0]!.first).toBeLessThan(3400);
    expect(bands[bands.length - 1]!.end).toBeGreaterThan(SECTORS - 3400);
    for (let i = 1; i < bands.length; i++) {
      const period = bands[i]!.first - bands[i - 1]!.first;
      expect(period).toBeGreaterThanOrEqual(3000 - 2 * 48);
      expect(period).toBeLessThanOrEqual(3400 + 2 * 48);
    }
    // bands are 500-700 sectors (the last may run off the disk); most have ragged edges:
    // readable gaps of 1-4 sectors among the bad runs near their ends
    for (const b of bands.slice(0, -1)) {
      expect(b.end - b.first).toBeGreaterThanOrEqual(500 - 8);
      expect(b.end - b.first).toBeLessThanOrEqual(700);
    }
    const ragged = bands.filter((b) => b.runs.length > 1);
    expect(ragged.length).toBeGreaterThan(bands.length / 2);
    for (const b of ragged)
      for (let i = 1; i < b.runs.length; i++) {
        const gap = b.runs[i]!.first - (b.runs[i - 1]!.first + b.runs[i - 1]!.count);
        expect(gap).toBeGreaterThanOrEqual(1);
        expect(gap).toBeLessThanOrEqual(4);
      }
    // without ragged edges every band is one solid run
    const clean = areas(makePattern("head", SECTORS, 7, { ragged: "0" }), 200);
    for (const b of clean) expect(b.runs.length).toBe(1);
  });

  test("islands: inside each damaged area, readable islands of 1-24 sectors between bad runs", () => {
    const x = makePattern("islands", SECTORS, 3);
    valid(x);
    const a = areas(x, 25);
    expect(a.length).toBeGreaterThanOrEqual(3); // 4, unless two happened to touch
    expect(a.length).toBeLessThanOrEqual(4);
    let islands = 0;
    for (const area of a)
      for (let i = 1; i < area.runs.length; i++) {
        const gap = area.runs[i]!.first - (area.runs[i - 1]!.first + area.runs[i - 1]!.count);
        expect(gap).toBeGreaterThanOrEqual(1);
        expect(gap).toBeLessThanOrEqual(24);
        islands++;
      }
    expect(islands).toBeGreaterThan(50);
    for (const e of x) expect(e.count).toBeLessThanOrEqual(64 * 2); // runs of 1-64 (two may touch)
  });

  test("scratch: short runs at a stride that shrinks from the track length towards the inner end", () => {
    const x = makePattern("scratch", SECTORS, 2, { wobble: "0" });
    valid(x);
    const strides = x.slice(1).map((e, i) => e.first - x[i]!.first);
    expect(strides[0]).toBeGreaterThanOrEqual(990);
    expect(strides[0]).toBeLessThanOrEqual(1000);
    expect(strides[strides.length - 1]).toBeLessThan(650);
    for (let i = 1; i < strides.length; i++) expect(strides[i]!).toBeLessThanOrEqual(strides[i - 1]!);
    for (const e of x) expect(e.count).toBeLessThanOrEqual(8);
    // start and extent confine it
    const part = makePattern("scratch", SECTORS, 2, { start: "0.5", extent: "0.25" });
    expect(part[0]!.first).toBeGreaterThanOrEqual(SECTORS / 2);
    expect(part[part.length - 1]!.first).toBeLessThan(SECTORS * 0.75 + 16);
  });

  test("scattered: about density x sectors single defects", () => {
    const x = makePattern("scattered", SECTORS, 4, { density: "0.002", length: "1" });
    valid(x);
    expect(x.length).toBeGreaterThan(0.002 * SECTORS * 0.95);
    expect(x.length).toBeLessThanOrEqual(Math.round(0.002 * SECTORS));
  });

  test("weak: k failures before a read; a fixed k or a range", () => {
    const fixed = makePattern("weak", SECTORS, 5, { k: "2" });
    expect(fixed.every((e) => e.kind === "weak" && e.fails === 2)).toBe(true);
    const ranged = makePattern("weak", SECTORS, 5, { k: "3-5", count: "200" });
    expect(new Set(ranged.map((e) => e.fails))).toEqual(new Set([3, 4, 5]));
  });

  test("slow: areas that read at an extra cost per sector", () => {
    const x = makePattern("slow", SECTORS, 6, { ms: "50" });
    expect(x.every((e) => e.kind === "slow" && e.costNs === 50e6)).toBe(true);
  });

  test("mixed: every model at once, and its parts take MODEL.KEY parameters", () => {
    const x = makePattern("mixed", SECTORS, 8);
    valid(x);
    expect(new Set(x.map((e) => e.kind))).toEqual(new Set(["bad", "weak", "slow"]));
    const noWeak = makePattern("mixed", SECTORS, 8, { "weak.count": "0" });
    expect(noWeak.some((e) => e.kind === "weak")).toBe(false);
  });

  test("the same seed gives the same disk; another seed another", () => {
    expect(makePattern("head", SECTORS, 11)).toEqual(makePattern("head", SECTORS, 11));
    expect(makePattern("head", SECTORS, 11)).not.toEqual(makePattern("head", SECTORS, 12));
  });

  test("bad parameters are clear errors", () => {
    expect(() => makePattern("head", SECTORS, 1, { perod: "3000" })).toThrow(/pattern 'head' has no such parameter.*period/);
    expect(() => makePattern("head", SECTORS, 1, { band: "700-500" })).toThrow(/reversed/);
    expect(() => makePattern("head", SECTORS, 1, { band: "lots" })).toThrow(PatternError);
    expect(() => makePattern("clustered", SECTORS, 1, { count: "2" })).toThrow(/takes no parameters/);
    expect(() => makePattern("mixed", SECTORS, 1, { count: "2" })).toThrow(/MODEL.KEY/);
    expect(() => makePattern("nosuch", SECTORS, 1)).toThrow(/--pattern is one of/);
  });
});
