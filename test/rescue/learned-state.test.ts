// A rescue stopped in copy pass 1 and restarted with what it had learned (MAP.learned,
// learned-state.ts) makes exactly the reads one uninterrupted run makes: the same skips,
// the same read sizes, the same read-back of each area. Without it the restarted pass
// takes the failures before the stop for a new area and learns the area sizes again.
// (Without scraping, -n: the thousands of one-sector reads after pass 1 add nothing here.)
import { describe, expect, test } from "bun:test";
import { Domain } from "../../src/rescue/mapfile/domain.ts";
import { RescueContext } from "../../src/rescue/mapfile/context.ts";
import { runRescue } from "../../src/rescue/mapfile/engine.ts";
import { learnedState, parseLearned, restoreLearned, type LearnedState } from "../../src/rescue/mapfile/learned-state.ts";
import { resolveOptions } from "../../src/rescue/mapfile/options.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { statusCode } from "../../src/rescue/mapfile/extent-chunk.ts";
import type { StatusLine } from "../../src/rescue/mapfile/status.ts";
import { MemorySource } from "../../src/io/memory-source.ts";
import { MemoryTarget, randomData, rng } from "./helpers.ts";

const SIZE = 8 << 20;
const data = randomData(24 << 20, 5);

interface Disk {
  size: number;
  bad: Array<[number, number]>;
  /** The first read to stop after (the reads before it are tested on the other disks). */
  firstStop?: number;
}

/** Bad areas of 2-2000 sectors and a few single bad sectors on 8 MiB, from a seed. */
function damage(seed: number): Disk {
  const r = rng(seed);
  const bad: Array<[number, number]> = [];
  for (let i = 0; i < 10; i++) {
    const start = Math.floor(r() * (SIZE / 512 - 2100)) * 512;
    const sectors = i < 6 ? 200 + Math.floor(r() * 1800) : 1 + Math.floor(r() * 3);
    bad.push([start, start + sectors * 512]);
  }
  return { size: SIZE, bad: bad.sort((a, b) => a[0] - b[0]) };
}

/**
 * 24 MiB whose damage starts after 16 MiB of good data: pass 1 reads 1 MiB at a time by
 * then, and reads each 1 MiB read that failed again in clusters (refine), which a stop can
 * cut off too.
 */
const lateDamage: Disk = { size: 24 << 20, firstStop: 250, bad: [[(18 << 20) + 40960, (18 << 20) + 40960 + 300 * 512], [20 << 20, (20 << 20) + 1500 * 512], [(22 << 20) + 512000, (22 << 20) + 512000 + 512]] };

const context = (disk: Disk, source: MemorySource, map: StatusMap, stopAfter = Infinity) =>
  new RescueContext(source, new MemoryTarget(disk.size), map, Domain.whole(disk.size), resolveOptions({ noScrape: true }, disk.size, 512), {
    // A clock that stands still: no read is slow, no failed read is timed, so the reads depend on the map alone.
    now: () => 0,
    stopRequested: () => (source.reads.length >= stopAfter ? "test stop" : null),
  });

const readsOf = (s: MemorySource) => s.reads.map((r) => `${r.offset}+${r.length}`);
const sourceOf = (disk: Disk, failWhole: boolean) => new MemorySource(data.subarray(0, disk.size), { bad: disk.bad, failWhole });

/** One run stopped after `stopAfter` reads and restarted, with or without what it learned. */
async function restarted(disk: Disk, failWhole: boolean, stopAfter: number, keep: boolean) {
  const source = sourceOf(disk, failWhole);
  const map = new StatusMap(disk.size);
  const first = context(disk, source, map, stopAfter);
  const r = await runRescue(first);
  const line: StatusLine = { ...first.current };
  const saved = JSON.stringify(learnedState(first));
  const second = context(disk, source, map);
  if (keep) restoreLearned(second, parseLearned(saved, disk.size, 512) as LearnedState, line);
  await runRescue(second, line);
  return { reads: readsOf(source), stoppedIn: r.outcome === "interrupted" ? `${line.status}${line.pass}` : "not stopped" };
}

describe.each([
  ["reads that fail whole", true],
  ["reads that stop short", false],
])("restart in copy pass 1, %s", (_name, failWhole) => {
  test.each([
    ["areas and single bad sectors, seed 1", damage(1)],
    ["areas and single bad sectors, seed 2", damage(2)],
    ["damage after 16 MiB of 1 MiB reads", lateDamage],
  ])("%s: with the learned state, the same reads as one run at every stop", async (_disk, disk) => {
    const whole = sourceOf(disk, failWhole);
    await runRescue(context(disk, whole, new StatusMap(disk.size)));
    const reference = readsOf(whole);
    let stops = 0;
    let differing = 0;
    for (let k = disk.firstStop ?? 1; k < reference.length; k++) {
      const kept = await restarted(disk, failWhole, k, true);
      if (kept.stoppedIn !== "?1") break; // pass 1 is over
      stops++;
      expect(kept.reads, `stopped after read ${k}`).toEqual(reference);
      if (k % 4 === 0) differing += (await restarted(disk, failWhole, k, false)).reads.join() === reference.join() ? 0 : 1;
    }
    expect(stops).toBeGreaterThan(20);
    // The state matters: restarted without it, the reads differ at many of the stops.
    expect(differing).toBeGreaterThan(stops / 16);
  });
});

test("learned retrying stopped and restarted: its budget goes on instead of starting afresh", async () => {
  // Short permanent defects only: no retry ever reads, so retrying stops when its budget of
  // failed retries is spent, and every restart with a fresh budget would pay it again.
  const r = rng(9);
  const bad: Array<[number, number]> = [];
  for (let i = 0; i < 80; i++) {
    const start = (1 + Math.floor(r() * (SIZE / 512 - 16))) * 512;
    bad.push([start, start + (1 + Math.floor(r() * 3)) * 512]);
  }
  /** A run stopped after each count of retry reads in `stops`, each time restarted (with the saved state, or not). */
  const run = async (stops: number[], keep: boolean) => {
    const source = new MemorySource(data.subarray(0, SIZE), { bad, failWhole: true });
    const map = new StatusMap(SIZE);
    let retryFrom = -1;
    const left = [...stops];
    const make = () =>
      new RescueContext(source, new MemoryTarget(SIZE), map, Domain.whole(SIZE), resolveOptions({}, SIZE, 512), {
        now: () => 0,
        onEvent: (e) => void (e.type === "phase" && e.phase === "retrying" && retryFrom < 0 && (retryFrom = source.reads.length)),
        stopRequested: () => (left.length && retryFrom >= 0 && source.reads.length - retryFrom >= left[0]! ? (left.shift(), "test stop") : null),
      });
    let ctx = make();
    let line: StatusLine | undefined;
    let restarts = 0;
    while ((await runRescue(ctx, line)).outcome === "interrupted") {
      line = { ...ctx.current };
      const saved = JSON.stringify(learnedState(ctx));
      ctx = make();
      if (keep) restoreLearned(ctx, parseLearned(saved, SIZE, 512) as LearnedState, line);
      restarts++;
    }
    return { retries: source.reads.length - retryFrom, restarts };
  };
  const whole = await run([], true);
  expect(whole.retries).toBeGreaterThan(3);
  let fresh = 0;
  for (let k = 1; k < whole.retries; k++) {
    for (const stops of [[k], [k, k + 3], [k, k + 4]]) {
      const kept = await run(stops, true);
      if (kept.restarts < stops.length) continue; // retrying ended before the second stop
      // At most the interrupted run's probe again, per restart.
      expect(kept.retries, `stopped after retries ${stops}`).toBeLessThanOrEqual(whole.retries + 2 * stops.length);
    }
    if ((await run([k], false)).retries >= whole.retries + 4) fresh++;
  }
  // Without the saved budget, a restart pays a fresh one.
  expect(fresh).toBeGreaterThan(0);
});

test("a run started without the status line (rescue -A, a --used-first stage) leaves pass 1's holes to pass 2", async () => {
  // Stopped in pass 1 and started again from the beginning: the untried space the first
  // run's pass 1 skipped inside bad areas (a failure behind it, tried space ahead) is not
  // read by pass 1 again, where every read would fail; pass 2 reads it from the far side.
  let checked = 0;
  for (const [disk, failWhole] of [[damage(1), true], [damage(2), false]] as const) {
    const whole = sourceOf(disk, failWhole);
    await runRescue(context(disk, whole, new StatusMap(disk.size)));
    for (let k = 20; k < whole.reads.length; k += 10) {
      const source = sourceOf(disk, failWhole);
      const map = new StatusMap(disk.size);
      const first = context(disk, source, map, k);
      if ((await runRescue(first)).outcome !== "interrupted" || first.current.status !== "?" || first.current.pass !== 1) break;
      const holes: Array<[number, number]> = [];
      map.scan((a, b, code) => {
        if (code !== statusCode("?")) return;
        const behind = a > 0 && "*-/".includes(map.statusAt(a - 1) ?? "?");
        if (behind && b < disk.size && map.statusAt(b) !== "?") holes.push([a, b]);
      });
      let pass1Reads = -1;
      const second = new RescueContext(source, new MemoryTarget(disk.size), map, Domain.whole(disk.size), resolveOptions({ noScrape: true }, disk.size, 512), {
        now: () => 0,
        onEvent: (e) => void (e.type === "phase" && e.phase === "copying" && e.pass === 2 && (pass1Reads = source.reads.length)),
      });
      const from = source.reads.length;
      await runRescue(second);
      const intoHoles = source.reads.slice(from, pass1Reads).filter((r) => holes.some(([a, b]) => r.offset < b && r.offset + r.length > a));
      expect(intoHoles, `stopped after read ${k}`).toEqual([]);
      checked += holes.length;
    }
  }
  expect(checked).toBeGreaterThan(10);
});
