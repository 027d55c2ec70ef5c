// The time-to-data strategy: readable data before sector work inside bad areas, islands
// found by bisection, the skip learned from the bad areas met, and retries that stop
// when they do not pay. Each test states the order of events it needs, on a fake source.
import { describe, expect, test } from "bun:test";
import { MemorySource, type MemoryDamage } from "../../src/io/memory-source.ts";
import { rescue, randomData, attemptsPerSector, rng, MemoryTarget } from "./helpers.ts";
import { sampleOrder } from "../../src/rescue/mapfile/retry-auto.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { RescueContext } from "../../src/rescue/mapfile/context.ts";
import { Domain } from "../../src/rescue/mapfile/domain.ts";
import { resolveOptions } from "../../src/rescue/mapfile/options.ts";
import { readOnForward } from "../../src/rescue/mapfile/read-on.ts";

const KiB = 1024;
const MiB = 1 << 20;

/** Index (into source.reads) after which every readable byte has been read. */
function lastUsefulRead(source: MemorySource, size: number, damage: MemoryDamage): number {
  const bad = damage.bad ?? [];
  const readable = (p: number) => !bad.some(([a, b]) => p < b && p + 512 > a);
  const done = new Uint8Array(size / 512);
  let need = 0;
  for (let s = 0; s < done.length; s++) if (readable(s * 512)) need++;
  for (let i = 0; i < source.reads.length; i++) {
    const r = source.reads[i]!;
    for (let s = r.offset / 512; r.result > 0 && s < (r.offset + r.result) / 512; s++) if (!done[s]) { done[s] = 1; need--; }
    if (need === 0) return i;
  }
  return -1;
}

/** Runs of 4 bad sectors across a 64-sector boundary, about every 400 KiB from 800 KiB on. */
function straddling(size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let b = 1600 * 512; b < size - 4096; b += (800 + ((b / 32768) % 7) * 64) * 512) out.push([b - 1024, b + 1024]);
  return out;
}

describe("time to data", () => {
  for (const failWhole of [true, false]) {
    test(`solid bad areas (${failWhole ? "reads fail whole" : "short reads"}): all readable data out before the inside of any area is read`, async () => {
      const data = randomData(8 * MiB, 21);
      const damage: MemoryDamage = { bad: [[1 * MiB + 7 * 512, 1 * MiB + 700 * KiB], [5 * MiB + 3 * 512, 5 * MiB + 1200 * KiB]], failWhole };
      const run = await rescue(data, damage, { retries: 0 });
      const last = lastUsefulRead(run.source, data.length, damage);
      expect(last).toBeGreaterThan(0);
      // Failed reads until all data was out: a few per area (contact, edges), not its sectors.
      const failedBefore = run.source.reads.slice(0, last + 1).filter((r) => r.result < 0).length;
      expect(failedBefore).toBeLessThanOrEqual(8 * damage.bad!.length);
      // And the run still classifies every sector exactly.
      expect(run.map.totals()["-"]).toBe(damage.bad!.reduce((s, [a, b]) => s + b - a, 0));
    });
  }

  test("readable islands inside a damaged area come out by bisection, long before a sweep would reach them", async () => {
    const data = randomData(4 * MiB, 22);
    // One damaged area of 1 MiB: bad runs of 64 sectors with 16-sector readable islands.
    const bad: Array<[number, number]> = [];
    for (let p = 1 * MiB; p < 2 * MiB; p += 80 * 512) bad.push([p, Math.min(2 * MiB, p + 64 * 512)]);
    const damage: MemoryDamage = { bad, failWhole: true };
    const run = await rescue(data, damage, { retries: 0 });
    const last = lastUsefulRead(run.source, data.length, damage);
    const failedBefore = run.source.reads.slice(0, last + 1).filter((r) => r.result < 0).length;
    const badSectors = bad.reduce((s, [a, b]) => s + (b - a) / 512, 0);
    // A sweep from one end pays nearly every bad sector before the last island; bisection
    // finds each island after a few probes and reads it outwards.
    expect(failedBefore).toBeLessThan(badSectors / 4);
    expect(run.map.totals()["+"]).toBe(data.length - badSectors * 512);
  });

  test("a failing head (periodic bands): after the first bands, one or two failed reads per band in pass 1", async () => {
    const data = randomData(32 * MiB, 23);
    const bad: Array<[number, number]> = [];
    for (let p = 100 * KiB; p + 300 * KiB < data.length; p += 1600 * KiB) bad.push([p, p + 300 * KiB + ((p / 1024) % 7) * 512]);
    const damage: MemoryDamage = { bad, failWhole: true };
    let pass1Failures = 0;
    let phase = "";
    await rescue(data, damage, { retries: 0, noScrape: true }, { hooks: { onEvent: (e) => { if (e.type === "phase") phase = `${e.status}${e.pass}`; if (e.type === "read" && e.result < 0 && phase === "?1") pass1Failures++; } } });
    expect(pass1Failures).toBeLessThanOrEqual(2 * bad.length + 4);
  });
  test("isolated small defects (reads fail whole): one failed read each in pass 1, read straight on, no seeks back", async () => {
    const data = randomData(8 * MiB, 27);
    // One bad sector in the middle of a cluster every 300 KiB or so: weak or scattered
    // sectors, which no read after the failed one can reach.
    const bad: Array<[number, number]> = [];
    for (let p = 200 * KiB + 32 * KiB; p < data.length; p += 320 * KiB) bad.push([p, p + 512]);
    const damage: MemoryDamage = { bad, failWhole: true };
    let phase = "";
    let last = -1;
    let failed = 0;
    let back = 0;
    await rescue(data, damage, { retries: 0 }, { hooks: { onEvent: (e) => {
      if (e.type === "phase") phase = `${e.status}${e.pass}`;
      if (e.type !== "read" || phase !== "?1") return;
      if (e.result < 0) failed++;
      if (e.pos < last) back++;
      last = e.pos;
    } } });
    // A large read meeting a defect would cost a second failed read to find it; a skip
    // and a read back would cost two seeks per defect. Only the first defect is measured
    // by reading back.
    expect(failed).toBe(bad.length);
    expect(back).toBeLessThanOrEqual(1);
  });
  test("small defects across the end of a read: one failed read each in pass 1, and only a few sectors left untried past each", async () => {
    const data = randomData(16 * MiB, 32);
    // Runs of 4 bad sectors across a 64-sector boundary (also the end of any smaller aligned
    // read): reading on right after the failed read would fail again, and skipping the
    // whole next read would leave its data for later. The first run lies inside a read
    // (what pass 1 learns from it: the defects here are small).
    const bad: Array<[number, number]> = [[300 * KiB + 20 * 512, 300 * KiB + 24 * 512], ...straddling(data.length)];
    const damage: MemoryDamage = { bad, failWhole: true };
    let phase = "";
    let failed = 0;
    const run = await rescue(data, damage, { retries: 0, copyPasses: [1], noTrim: true, noScrape: true }, { hooks: { onEvent: (e) => {
      if (e.type === "phase") phase = `${e.status}${e.pass}`;
      if (e.type === "read" && phase === "?1" && e.result < 0) failed++;
    } } });
    expect(failed).toBeLessThanOrEqual(bad.length + 2);
    // Untried after pass 1: 8 sectors past each defect's failed read (and what the first
    // defects cost while pass 1 learns).
    expect(run.map.totals()["?"]).toBeLessThanOrEqual(bad.length * 8 * 512 + 64 * KiB);
  });

  test("trimming: the leading edges of all bad areas (no seeks) before any trailing edge (a seek per sector)", async () => {
    const data = randomData(8 * MiB, 28);
    const bad: Array<[number, number]> = [1, 3, 5, 7].map((m) => [m * MiB + 20 * KiB + 7 * 512, m * MiB + 400 * KiB + 3 * 512]);
    const damage: MemoryDamage = { bad, failWhole: true };
    let phase = "";
    const failedAt: number[] = [];
    await rescue(data, damage, { retries: 0, noScrape: true }, { hooks: { onEvent: (e) => {
      if (e.type === "phase") phase = e.status;
      if (e.type === "read" && phase === "*" && e.result < 0 && e.size === 512) failedAt.push(e.pos);
    } } });
    const leading = bad.map(([a]) => failedAt.indexOf(a));
    const trailing = bad.map(([, b]) => failedAt.indexOf(b - 512));
    expect([...leading, ...trailing].every((i) => i >= 0)).toBe(true);
    expect(Math.max(...leading)).toBeLessThan(Math.min(...trailing));
  });

  test("trimming a leading edge far into its failed block (reads fail whole): one failed read, which classifies the edge", async () => {
    const data = randomData(4 * MiB, 29);
    // Each area begins 100 sectors into a 64 KiB cluster: a long good run before the edge,
    // inside a block whose read failed, so the edge is still ahead and no larger read pays.
    const bad: Array<[number, number]> = [1, 2, 3].map((m) => [m * MiB + 100 * 512, m * MiB + 300 * KiB]);
    const damage: MemoryDamage = { bad, failWhole: true };
    let phase = "";
    const failed: Array<{ pos: number; size: number }> = [];
    const run = await rescue(data, damage, { retries: 0, noScrape: true }, { hooks: { onEvent: (e) => {
      if (e.type === "phase") phase = e.status;
      if (e.type === "read" && phase === "*" && e.result < 0) failed.push({ pos: e.pos, size: e.size });
    } } });
    for (const [a] of bad) {
      expect(run.map.statusAt(a - 512)).toBe("+");
      expect(failed.filter((r) => r.pos < a + 512 && r.pos + r.size > a - 100 * 512)).toEqual([{ pos: a, size: 512 }]);
    }
  });

  test("a large read that failed whole is refined from its first sector: a failure there classifies it", async () => {
    // 20 MiB of healthy disk earn 1 MiB reads; a bad area begins exactly where one starts.
    const data = randomData(24 * MiB, 31);
    const damage: MemoryDamage = { bad: [[20 * MiB, 21 * MiB]], failWhole: true };
    const run = await rescue(data, damage, { retries: 0, noScrape: true });
    const at = run.source.reads.filter((r) => r.offset === 20 * MiB && r.result < 0).map((r) => r.length);
    expect(at[0]).toBeGreaterThan(64 * KiB); // the large read
    expect(at.slice(1, 2)).toEqual([512]); // then its first sector, alone, not a cluster
    expect(run.map.statusAt(20 * MiB - 512)).toBe("+");
    expect(run.map.statusAt(21 * MiB)).toBe("+");
  });

  test("the same with a drive's timing: the seek to the edge is not what reading on costs", async () => {
    // A virtual clock: 8 ms per seek, 0.05 ms per read, 200 ms per failed read. Counted
    // with the seek of the first read, a failed read looked worth 25 reads and the block
    // was read on in pieces of 15 sectors, one of which failed without classifying a sector.
    const data = randomData(MiB, 29);
    const edge = 512 * KiB + 100 * 512;
    const source = new MemorySource(data, { bad: [[edge, 600 * KiB]], failWhole: true });
    let charged = 0;
    let ms = 0;
    const now = () => {
      for (; charged < source.reads.length; charged++) {
        const r = source.reads[charged]!;
        const previous = source.reads[charged - 1];
        ms += (previous && previous.offset + previous.length === r.offset ? 0 : 8) + (r.result < 0 ? 200 : 0.05);
      }
      return ms;
    };
    const map = new StatusMap(MiB);
    map.set(0, MiB, "+");
    map.set(512 * KiB, 64 * KiB, "*");
    const ctx = new RescueContext(source, new MemoryTarget(MiB), map, Domain.whole(MiB), resolveOptions({}, MiB, 512), { now });
    ctx.failMs = 200; // as learned from the failed read that made the block
    ctx.read(0, 512); // the head is elsewhere: the first read at the edge pays a seek
    expect(await readOnForward(ctx, 512 * KiB, 576 * KiB, true)).toBe(edge + 512);
    const onward = source.reads.slice(1);
    expect(onward.filter((r) => r.result < 0)).toEqual([expect.objectContaining({ offset: edge, length: 512 })]);
    expect(onward.every((r) => r.length === 512)).toBe(true);
  });
});

describe("learned retries (the default)", () => {
  test("weak sectors come back without asking", async () => {
    const data = randomData(2 * MiB, 24);
    const weak = [100, 900, 1700, 3000].map((s) => ({ start: s * 512, end: s * 512 + 1024, failures: 2 }));
    const run = await rescue(data, { weak, failWhole: true });
    for (const w of weak) expect(run.map.statusAt(w.start)).toBe("+");
    expect(Buffer.compare(Buffer.from(run.target.data), Buffer.from(data))).toBe(0);
  });

  /** Single bad sectors every `stride` sectors on a 4 MiB disk: failed reads that learned retrying adds. */
  async function extraRetryFailures(seed: number, first: number, stride: number): Promise<{ extra: number; defects: number; paid: number }> {
    const data = randomData(4 * MiB, seed);
    const bad: Array<[number, number]> = [];
    for (let s = first; s < 8000; s += stride) bad.push([s * 512, s * 512 + 512]);
    const damage: MemoryDamage = { bad, failWhole: true };
    const none = await rescue(data, damage, { retries: 0 });
    const auto = await rescue(data, damage);
    const paid = attemptsPerSector(none.source).failed;
    return { extra: attemptsPerSector(auto.source).failed - paid, defects: bad.length, paid };
  }

  test("on permanent defects, retrying stops after a few failed reads", async () => {
    const { extra, defects, paid } = await extraRetryFailures(25, 50, 97);
    expect(extra).toBeGreaterThan(0);
    // The budget while nothing reads: 3 % of the failed reads paid (at least 4, at most 48),
    // or 2 % of the candidate sectors (a few more may differ between the two runs: backward
    // reads grow by measured read times).
    const budget = Math.max(Math.min(48, Math.max(4, Math.ceil(paid * 0.03))), Math.ceil(defects * 0.02));
    expect(extra).toBeLessThanOrEqual(budget + 4);
  });

  test("a disk with few defects and none weak: retrying adds at most a few failed reads", async () => {
    const { extra } = await extraRetryFailures(29, 300, 790);
    // 3 % of the ~20 failed reads paid before is less than the floor of 4 probes.
    expect(extra).toBeGreaterThan(0);
    expect(extra).toBeLessThanOrEqual(4);
  });

  /**
   * A scratch of 40 permanent single-sector defects in the first 1.5 MiB, 20 weak pairs
   * after it, and a solid area of 256 KiB (the failed reads a damaged disk has paid).
   */
  function scratchThenWeak(): { data: Uint8Array; damage: MemoryDamage; weak: Array<{ start: number; end: number; failures: number }> } {
    const data = randomData(8 * MiB, 31);
    const bad: Array<[number, number]> = [];
    for (let i = 0; i < 40; i++) bad.push([(200 + i * 70) * 512, (201 + i * 70) * 512]);
    bad.push([6 * MiB, 6 * MiB + 256 * KiB]);
    const weak = Array.from({ length: 20 }, (_, i) => 3500 + i * 400).map((s) => ({ start: s * 512, end: s * 512 + 1024, failures: 2 }));
    return { data, damage: { bad, weak, failWhole: true }, weak };
  }

  test("a cluster of permanent defects does not use up the retries before weak sectors elsewhere", async () => {
    const { data, damage, weak } = scratchThenWeak();
    const run = await rescue(data, damage);
    // In disk order, the 40 defects of the scratch (2 failed probes each) come first and
    // spend the budget before any weak pair is reached; a spread sample meets both early.
    for (const w of weak) expect(run.map.statusAt(w.start)).toBe("+");
    expect(run.map.totals()["-"]).toBe(40 * 512 + 256 * KiB);
    for (const w of weak) expect(Buffer.from(run.target.data.subarray(w.start, w.end)).equals(Buffer.from(data.subarray(w.start, w.end)))).toBe(true);
  });

  test("learned retries interrupted anywhere and resumed: the same map as one run, no retry repeated", async () => {
    const { data, damage } = scratchThenWeak();
    const wholeSource = new MemorySource(data, damage);
    let wholeStart = -1;
    const whole = await rescue(data, damage, {}, { source: wholeSource, hooks: { onEvent: (e) => { if (e.type === "phase" && e.phase === "retrying") wholeStart = wholeSource.reads.length; } } });
    expect(wholeStart).toBeGreaterThan(0);
    const wholeRetries = wholeSource.reads.length - wholeStart;
    for (const k of [1, 2, 5, 9, 17, 30]) {
      // One drive for both runs: its weak sectors remember the attempts made before the stop.
      const source = new MemorySource(data, damage);
      const map = new StatusMap(data.length);
      let phaseStart = -1;
      const first = await rescue(data, damage, {}, {
        map,
        source,
        hooks: {
          onEvent: (e) => { if (e.type === "phase" && e.phase === "retrying") phaseStart = source.reads.length; },
          stopRequested: () => (phaseStart >= 0 && source.reads.length - phaseStart >= k ? "test" : null),
        },
      });
      expect(first.outcome).toBe("interrupted");
      const stoppedAt = source.reads.length;
      const second = await rescue(data, damage, {}, { map, source, resume: first.ctx.current });
      expect(second.outcome).toBe("finished");
      expect(map.extents()).toEqual(whole.map.extents());
      // Retries after the resume: what the whole run had left, give or take the run that
      // was interrupted (its sector that was being tried is tried again).
      expect(stoppedAt - phaseStart + (source.reads.length - stoppedAt)).toBeLessThanOrEqual(wholeRetries + 4);
    }
  });

  test("the sample order is a fixed permutation that mixes clusters, and resumes after the interrupted run", () => {
    const runs: Array<[number, number]> = [];
    for (let p = 0; p < 4 * MiB; p += 32 * KiB) runs.push([p + 512, p + 1024]);
    const order = sampleOrder(runs, 512);
    expect(order.length).toBe(runs.length);
    expect(new Set(order.map((r) => r[0])).size).toBe(runs.length);
    // Any prefix is spread: the first 16 runs come from at least 3 of the 4 quarters, and
    // the order does not follow the disk.
    expect(new Set(order.slice(0, 16).map((r) => Math.floor(r[0] / MiB))).size).toBeGreaterThanOrEqual(3);
    expect(order.slice(0, 16).some((r, i) => i > 0 && r[0] < order[i - 1]![0])).toBe(true);
    // Resumed at the start of the 10th run: exactly the runs from it on, in the same order.
    const at = order[9]![0];
    expect(sampleOrder(runs, 512, at)).toEqual(order.slice(9));
    // The interrupted run's first sector read meanwhile: its rest is taken first.
    const shrunk = runs.map((r): [number, number] => (r[0] === at ? [at + 512, r[1] + 512] : r));
    const resumed = sampleOrder(shrunk, 512, at);
    expect(resumed[0]).toEqual([at + 512, order[9]![1] + 512]);
    expect(resumed.length).toBe(order.length - 9);
  });

  test("the interior of a large solid area is never retried by default", async () => {
    const data = randomData(2 * MiB, 26);
    const damage: MemoryDamage = { bad: [[512 * KiB, 768 * KiB]], failWhole: true };
    const run = await rescue(data, damage);
    expect(attemptsPerSector(run.source).maxOnOne).toBeLessThanOrEqual(2);
  });
});
