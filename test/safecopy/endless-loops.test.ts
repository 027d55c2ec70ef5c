// Deliberate fix (docs/compat.md, "Endless backtracking"): two cases where safecopy 1.7 never
// ends, found by the differential test. Its backtracking search for the end of a bad area
// starts at the -b block holding the area's start; with -r < -b a probe can land at or before
// that start, read the good bytes there and "find" the end before the area began. Then the
// same area is found again, for ever. Unit tests bound the engine's steps (so the old code
// fails instead of hanging); end-to-end tests run salvage copy and Debian safecopy on the
// same simulated disk and show that only salvage ends.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pattern, runEngine, symbols, type EngineRun } from "./engine-harness.ts";
import { e2e, endlessRecipe, simulated, TIMED_OUT, unending, type Unending } from "./endless-cases.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { peer, skipBecause, usesLivePeer } from "../helpers/needs.ts";

const ROOT = join(import.meta.dir, "../..");

const KiB = 1024;
/** A negative bad-area size, printed as unsigned 64-bit: the symptom of the loop. */
const NEGATIVE = "(+1844674407370955";

/** The blocks of size b that [start, end) touches: what -o must list for that damage. */
function blocksOf(start: number, end: number, b: number): number[] {
  const out: number[] = [];
  for (let n = Math.floor(start / b); n * b < end; n++) out.push(n);
  return out;
}

/** Destination equals the source everywhere except inside `holes` (left unwritten: zeros). */
function expectCopyExcept(r: EngineRun, holes: Array<[number, number]>): void {
  const src = r.source.data;
  expect(r.destSize).toBe(src.length);
  let at = 0;
  for (const [a, e] of [...holes, [src.length, src.length] as [number, number]]) {
    expect(Buffer.compare(r.dest.subarray(at, a), src.subarray(at, a))).toBe(0);
    expect(r.dest.subarray(a, e).every((x) => x === 0)).toBe(true);
    at = e;
  }
}

describe("fix: a weak sector under byte-resolution backtracking ends", () => {
  // The differential case "soft × r1": sector 7 fails twice, then reads and fails in turn
  // (safecopy's simulator softfail); sector 12 is bad; -b 1024 -f 8* -r 1.
  const weak = (retries: number) =>
    runEngine({
      data: pattern(40 * KiB, 7), damage: { bad: [[12 * KiB, 13 * KiB]] }, intermittent: { sectors: [7], failures: 2 },
      cfg: { skipSize: 8 * KiB, resolution: 1, retries }, maxSteps: 2000,
    });

  test("-R 1: the weak sector is listed once, the run goes on past it", () => {
    const r = weak(1);
    expect(r.steps).toBeLessThan(400);
    expect(symbols(r.out)).not.toContain(NEGATIVE);
    expect(r.badblocks).toEqual([7, 12]);
    expect(r.result.exitCode).toBe(1);
    // Everything of sector 7 that ever read is kept; the byte whose last try failed is a hole.
    expectCopyExcept(r, [[8191, 8192], [12 * KiB, 13 * KiB]]);
  });

  test("-R 4: retried at minimum size until it reads, so it is recovered, not listed", () => {
    const r = weak(4);
    expect(r.steps).toBeLessThan(400);
    expect(r.badblocks).toEqual([12]);
    expect(r.result.softErrors).toBeGreaterThan(0);
    expectCopyExcept(r, [[12 * KiB, 13 * KiB]]);
  });
});

describe("fix: a bad sector not aligned to -b, with -r < -b, ends", () => {
  const cases: Array<{ name: string; b: number; f: number; r: number; sector: number; bad: [number, number] }> = [
    { name: "-b 4096 -f 1* -r 1024, sector 3 of 1024", b: 4096, f: 4096, r: 1024, sector: 1024, bad: [3072, 4096] },
    { name: "-b 4096 -f 4* -r 512, sector 27 of 512", b: 4096, f: 16384, r: 512, sector: 512, bad: [13824, 14336] },
    { name: "-b 8192 -f 2* -r 1, sectors 14-15 of 512", b: 8192, f: 16384, r: 1, sector: 512, bad: [7168, 8192] },
  ];
  for (const c of cases) {
    test(`${c.name}: listed in -b units once, data around it copied`, () => {
      const r = runEngine({
        data: pattern(64 * KiB, 3), damage: { bad: [c.bad] }, sector: c.sector,
        cfg: { blockSize: c.b, skipSize: c.f, resolution: c.r, retries: 1 }, maxSteps: 2000,
      });
      expect(r.steps).toBeLessThan(200);
      expect(symbols(r.out)).not.toContain(NEGATIVE);
      expect(r.badblocks).toEqual(blocksOf(c.bad[0], c.bad[1], c.b));
      expect(r.result.damage).toBe(c.bad[1] - c.bad[0]);
      expect(r.result.exitCode).toBe(1);
      expectCopyExcept(r, [c.bad]);
    });
  }
});

// End to end on a simulated disk (endless-cases.ts): salvage ends; the recording (and the
// live tool, when installed) shows Debian safecopy 1.7 does not.
const haveTimeout = existsSync("/usr/bin/timeout");
const recording = loadOracle<Unending>(endlessRecipe.name);
const live = peer("safecopy");
if (live) usesLivePeer("safecopy");

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe.skipIf(skipBecause(!haveTimeout && "timeout(1) missing (coreutils)"))("end to end on a simulated disk", () => {
  for (const c of e2e) {
    test(`${c.name}: salvage copy ends with the list and data expected`, () => {
      const r = simulated(c.damage, [process.execPath, `${ROOT}/src/main.ts`, "copy"], c.args, 5, dirs);
      expect(r.exitCode).toBe(1);
      expect(r.seconds).toBeLessThan(5);
      expect(r.stdout).toContain("\nDone!\n");
      expect(r.stdout).not.toContain(NEGATIVE);
      expect(r.bb).toBe(c.list);
      const expected = Buffer.from(r.image);
      for (const [a, e] of c.holes) expected.fill(0, a!, e!);
      expect(r.out !== null && Buffer.compare(r.out, expected) === 0).toBe(true);
    });
    test(`${c.name}: Debian safecopy 1.7 does not end (killed after 1 s; recorded, and live when installed)`, () => {
      const theirs = recorded(recording, endlessRecipe.name, c.name);
      expect(theirs).toEqual({ exitCode: TIMED_OUT, finished: false });
      if (live) expect(unending(live, c.name)).toEqual(theirs);
    });
  }
});
