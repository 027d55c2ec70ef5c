// The time-to-data strategy: readable data before sector work inside bad areas, islands
// found by bisection, the skip learned from the bad areas met, and retries that stop
// when they do not pay. Each test states the order of events it needs, on a fake source.
import { describe, expect, test } from "bun:test";
import { MemorySource, type MemoryDamage } from "../../src/io/memory-source.ts";
import { rescue, randomData, attemptsPerSector } from "./helpers.ts";

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
  async function extraRetryFailures(seed: number, first: number, stride: number): Promise<{ extra: number; defects: number }> {
    const data = randomData(4 * MiB, seed);
    const bad: Array<[number, number]> = [];
    for (let s = first; s < 8000; s += stride) bad.push([s * 512, s * 512 + 512]);
    const damage: MemoryDamage = { bad, failWhole: true };
    const none = await rescue(data, damage, { retries: 0 });
    const auto = await rescue(data, damage);
    return { extra: attemptsPerSector(auto.source).failed - attemptsPerSector(none.source).failed, defects: bad.length };
  }

  test("on permanent defects, retrying stops after a few failed reads", async () => {
    const { extra, defects } = await extraRetryFailures(25, 50, 97);
    expect(extra).toBeGreaterThan(0);
    // The budget while nothing reads: 2 % of the candidate sectors, at least 16 (a few more
    // may differ between the two runs: backward reads grow by measured read times).
    expect(extra).toBeLessThanOrEqual(Math.max(16, Math.ceil(defects * 0.02)) + 4);
  });

  test("a disk with few defects and none weak: retrying adds at most a few failed reads", async () => {
    const { extra } = await extraRetryFailures(29, 300, 790);
    // 3 % of the ~20 failed reads paid before is less than the floor of 4 probes.
    expect(extra).toBeGreaterThan(0);
    expect(extra).toBeLessThanOrEqual(4);
  });

  test("the interior of a large solid area is never retried by default", async () => {
    const data = randomData(2 * MiB, 26);
    const damage: MemoryDamage = { bad: [[512 * KiB, 768 * KiB]], failWhole: true };
    const run = await rescue(data, damage);
    expect(attemptsPerSector(run.source).maxOnOne).toBeLessThanOrEqual(2);
  });
});
