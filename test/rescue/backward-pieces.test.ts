// Trimming a failed block from its trailing edge: the piece sizes of backward-pieces.ts
// against a direct count of what they cost, and the trimming they make on a fake drive.
import { describe, expect, test } from "bun:test";
import type { MemoryDamage } from "../../src/io/memory-source.ts";
import { backwardPiece } from "../../src/rescue/mapfile/backward-pieces.ts";
import { rescue, randomData } from "./helpers.ts";

const MiB = 1 << 20;

/**
 * Follow the policy for an edge `d` sectors below the top of a range of `range` sectors
 * (the sector d is the bad one, every sector above it good) and count its cost in seeks:
 * one per read, `ratio` more for a failed read that classifies nothing (a failed piece).
 * The final one-sector failure every edge costs is not counted.
 */
function costOf(range: number, d: number, ratio: number): number {
  let top = 0; // sectors read so far from the top
  let bottom = range; // the edge lies in [top, bottom)
  let cost = 0;
  for (;;) {
    const k = backwardPiece(bottom - top, ratio);
    if (k === 1 && top === d) return cost;
    cost += 1;
    if (top + k <= d) top += k;
    else {
      cost += ratio;
      bottom = top + k;
    }
  }
}

const average = (range: number, ratio: number) => {
  let sum = 0;
  for (let d = 0; d < range; d++) sum += costOf(range, d, ratio);
  return sum / range;
};

describe("backward piece sizes", () => {
  test("one sector at a time in short ranges, where a failed piece costs more than it saves", () => {
    for (const r of [1, 2, 8, 16]) expect(backwardPiece(r, 25)).toBe(1);
    // A failed read that costs little makes pieces pay sooner.
    expect(backwardPiece(32, 5)).toBeGreaterThan(1);
  });

  test("on a 128-sector block, half the cost of one sector at a time (failed read = 25 seeks)", () => {
    const singles = (128 - 1) / 2;
    expect(average(128, 25)).toBeLessThan(0.55 * singles);
  });

  test("never worse than one sector at a time, whatever a failed read costs", () => {
    for (const ratio of [2, 10, 25, 100, 400]) {
      for (const range of [3, 17, 64, 200, 700]) expect(average(range, ratio)).toBeLessThanOrEqual((range - 1) / 2 + 1e-9);
    }
  });

  test("ranges beyond the solved table grow their pieces, capped by nothing but the range", () => {
    expect(backwardPiece(4096, 25)).toBeGreaterThan(backwardPiece(1024, 25));
    expect(backwardPiece(4096, 25)).toBeLessThan(4096);
  });
});

describe("trimming trailing edges (reads fail whole)", () => {
  test("the good end of each failed block comes back with far fewer reads than its sectors", async () => {
    const data = randomData(8 * MiB, 41);
    // Bad areas that end a few sectors into a 64 KiB cluster: pass 1 leaves the rest of
    // that cluster (about 120 good sectors) for the trailing-edge trim.
    const bad: Array<[number, number]> = [1, 3, 5].map((m) => [m * MiB + 8 * 512, m * MiB + 256 * 1024 + 5 * 512]);
    const damage: MemoryDamage = { bad, failWhole: true };
    let phase = "";
    let trimReads = 0;
    let trimFailed = 0;
    const run = await rescue(data, damage, { retries: 0, noScrape: true }, { hooks: { onEvent: (e) => {
      if (e.type === "phase") phase = e.status;
      if (e.type === "read" && phase === "*") { trimReads++; if (e.result < 0) trimFailed++; }
    } } });
    // Every good sector outside the areas was recovered, each edge was found exactly...
    const good = data.length - bad.reduce((n, [a, b]) => n + b - a, 0);
    expect(run.map.totals()["+"]).toBe(good);
    for (const [a, b] of bad) {
      expect(run.map.statusAt(a - 512)).toBe("+");
      expect(run.map.statusAt(b)).toBe("+");
    }
    // ...with pieces: the trailing sides hold about 360 good sectors, read one at a time
    // they would take as many reads.
    expect(trimReads).toBeLessThan(200);
    expect(trimFailed).toBeLessThanOrEqual(4 * bad.length);
  });
});
