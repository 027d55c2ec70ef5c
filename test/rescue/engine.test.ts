import { describe, expect, test } from "bun:test";
import { attemptsPerSector, isBad, MemoryTarget, randomData, rescue, rng } from "./helpers.ts";
import type { MemoryDamage } from "../../src/io/memory-source.ts";
import { Domain } from "../../src/rescue/mapfile/domain.ts";
import { MemorySource } from "../../src/io/memory-source.ts";

const MiB = 1024 * 1024;

/** Every sector is '+' with the source's bytes, or '-' and truly bad (nothing else left). */
function expectExact(run: Awaited<ReturnType<typeof rescue>>, data: Uint8Array, damage: MemoryDamage) {
  for (const x of run.map.extents()) {
    expect("+-").toContain(x.status);
    for (let p = x.pos; p < x.pos + x.size; p += 512) {
      if (isBad(damage, p) !== (x.status === "-")) throw new Error(`sector 0x${p.toString(16)} is ${x.status} but ${isBad(damage, p) ? "bad" : "good"}`);
    }
    if (x.status === "+") expect(Buffer.compare(run.target.data.subarray(x.pos, x.pos + x.size), data.subarray(x.pos, x.pos + x.size))).toBe(0);
  }
}

describe("mapfile rescue engine", () => {
  test("healthy source: clusters for the first 16 MiB, then one large read per MiB (no error seen), exact copy", async () => {
    const data = randomData(20 * MiB);
    const run = await rescue(data, {});
    expect(run.outcome).toBe("finished");
    expect(run.source.reads.length).toBe(256 + 4);
    expect(run.source.reads.slice(256).every((r) => r.length === MiB)).toBe(true);
    expect(Buffer.compare(run.target.data, data)).toBe(0);
    expect(run.map.extents()).toEqual([{ pos: 0, size: 20 * MiB, status: "+" }]);
  });

  test("one solid bad area: exact map, every good byte, each sector tried at most once", async () => {
    const data = randomData(8 * MiB, 2);
    const damage: MemoryDamage = { bad: [[3 * MiB + 4096 + 512, 3 * MiB + 300 * 1024]] };
    const run = await rescue(data, damage);
    expectExact(run, data, damage);
    const a = attemptsPerSector(run.source);
    expect(a.maxOnOne).toBeLessThanOrEqual(2);
    expect(run.map.badAreas()).toBe(1);
  });

  test("--no-scrape: both edges exact, interior left non-scraped, few failed reads", async () => {
    const data = randomData(8 * MiB, 3);
    const bad: Array<[number, number]> = [[1 * MiB + 512 * 7, 1 * MiB + 200 * 1024], [5 * MiB, 5 * MiB + 2 * MiB + 1024]];
    const run = await rescue(data, { bad }, { noScrape: true });
    for (const [a, b] of bad) {
      expect(run.map.statusAt(a - 1)).toBe("+");
      expect(run.map.statusAt(a)).toBe("-");
      expect(run.map.statusAt(b - 1)).toBe("-");
      expect(run.map.statusAt(b)).toBe("+");
    }
    const t = run.map.totals();
    expect(t["+"]).toBe(data.length - bad.reduce((s, [a, b]) => s + b - a, 0));
    expect(t["?"] + t["*"]).toBe(0);
    // No more than a cluster-by-cluster sweep of the bad areas plus a few per edge (ddrescue -n
    // sweeps them); far fewer than one per sector (scraping).
    const badBytes = bad.reduce((s, [a, b]) => s + b - a, 0);
    expect(attemptsPerSector(run.source).failed).toBeLessThanOrEqual(Math.ceil(badBytes / 65536) + 6 * bad.length);
  });

  test("random damage, forwards and --reverse, sources with and without partial reads", async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = rng(seed);
      const size = 2 * MiB + Math.floor(r() * 64) * 512;
      const data = randomData(size, seed);
      const bad: Array<[number, number]> = [];
      for (let k = 0; k < 1 + Math.floor(r() * 6); k++) {
        const a = Math.floor((r() * size) / 512) * 512;
        bad.push([a, Math.min(size, a + 512 * (1 + Math.floor(r() * (r() < 0.5 ? 4 : 600))))]);
      }
      const damage: MemoryDamage = { bad, failWhole: seed % 3 === 0 };
      const run = await rescue(data, damage, { reverse: seed % 2 === 0, retries: 0 });
      expectExact(run, data, damage);
      expect(attemptsPerSector(run.source).maxOnOne).toBeLessThanOrEqual(2);
    }
  });

  test("weak sectors come back with --retries; bad ones get one attempt per pass", async () => {
    const data = randomData(1 * MiB, 5);
    const damage: MemoryDamage = { bad: [[65536, 65536 + 512]], weak: [{ start: 300 * 1024, end: 300 * 1024 + 1024, failures: 3 }] };
    const none = await rescue(data, damage, { retries: 0 });
    expect(none.map.statusAt(300 * 1024)).toBe("-");
    const run = await rescue(data, damage, { retries: 3 });
    expect(run.map.statusAt(300 * 1024)).toBe("+");
    expect(run.map.statusAt(300 * 1024 + 512)).toBe("+");
    expect(run.map.statusAt(65536)).toBe("-");
    // The bad sector: it starts the cluster read that fails on it (no short read seen yet,
    // so that proves nothing), then alone in trimming, then once per retry pass.
    expect(attemptsPerSector(run.source).maxOnOne).toBe(5);
    expect(Buffer.compare(run.target.data.subarray(300 * 1024, 301 * 1024), data.subarray(300 * 1024, 301 * 1024))).toBe(0);
  });

  test("--domain: nothing outside the domain is read or marked", async () => {
    const data = randomData(1 * MiB, 6);
    const domain = new Domain([[4096, 200 * 1024], [512 * 1024, 600 * 1024 + 512]]);
    const damage: MemoryDamage = { bad: [[100 * 1024, 101 * 1024]] };
    const run = await rescue(data, damage, {}, { domain });
    for (const r of run.source.reads) expect(domain.contains(r.offset) && domain.contains(r.offset + r.length - 1)).toBe(true);
    expect(run.map.statusAt(0)).toBe("?");
    expect(run.map.statusAt(300 * 1024)).toBe("?");
    expect(run.map.totals()["+"]).toBe(domain.size - 1024);
  });

  test("--max-errors and --timeout stop the run between reads", async () => {
    const data = randomData(1 * MiB, 7);
    const damage: MemoryDamage = { bad: [[0, 1 * MiB]] };
    const run = await rescue(data, damage, { maxErrors: 2 });
    expect(run.outcome).toBe("stopped");
    expect(attemptsPerSector(run.source).failed).toBe(3);
    let t = 0;
    const timed = await rescue(data, damage, { timeoutMs: 1000 }, { hooks: { now: () => (t += 300) } });
    expect(timed.outcome).toBe("stopped");
  });

  test("--sparse: all-zero clusters are not written", async () => {
    const data = randomData(1 * MiB, 8);
    data.fill(0, 128 * 1024, 512 * 1024);
    const target = new MemoryTarget(data.length);
    const written: Array<[number, number]> = [];
    const write = target.write.bind(target);
    target.write = (buf: Uint8Array, length: number, pos: number) => (written.push([pos, pos + length]), write(buf, length, pos));
    const run = await rescue(data, {}, { sparse: true }, { target });
    // The zero stretch [128 KiB, 512 KiB) is six whole clusters: none of it is written.
    expect(written.reduce((n, [a, b]) => n + b - a, 0)).toBe(data.length - 6 * 65536);
    expect(written.every(([a, b]) => b <= 128 * 1024 || a >= 512 * 1024)).toBe(true);
    expect(Buffer.compare(run.target.data, data)).toBe(0);
    expect(run.ctx.highWater).toBe(data.length);
  });
});

describe("slow reads", () => {
  test("--min-read-rate: slow reads make pass 1 skip ahead, and everything is still read exactly once", async () => {
    const data = randomData(4 * MiB, 10);
    let t = 0;
    // Every read takes 50 virtual ms (one clock step): 64 KiB / 0.05 s = 1.25 MiB/s, below the 2 MiB/s minimum.
    const run = await rescue(data, {}, { minReadRate: 2 * MiB, healthyRead: 65536 }, { hooks: { now: () => (t += 50) } });
    expect(run.ctx.counters.slowReads).toBeGreaterThan(0);
    expect(run.map.extents()).toEqual([{ pos: 0, size: 4 * MiB, status: "+" }]);
    expect(run.source.reads.length).toBe(64);
    // Skipping changed the order: not one forward sweep.
    expect(run.source.reads.some((r, i) => i > 0 && r.offset < run.source.reads[i - 1]!.offset)).toBe(true);
  });
});

describe("a vanishing source", () => {
  test("ENODEV stops the run without marking anything bad", async () => {
    const data = randomData(1 * MiB, 11);
    const source = new MemorySource(data, {});
    let reads = 0;
    const real = source.read.bind(source);
    source.read = (buf, len, off) => (++reads > 5 ? -19 : real(buf, len, off));
    const run = await rescue(data, {}, { healthyRead: 65536 }, { source });
    expect(run.outcome).toBe("stopped");
    expect(run.map.totals()["-"] + run.map.totals()["*"]).toBe(0);
    expect(run.map.totals()["+"]).toBe(5 * 65536);
  });
});

describe("what a failed read proves", () => {
  test("a source that reports errors per sector: every damaged sector is tried once", async () => {
    const data = randomData(4 * MiB, 12);
    const damage: MemoryDamage = { bad: [[100 * 1024 + 512, 180 * 1024], [2 * MiB + 1536, 2 * MiB + 2048], [3 * MiB + 3072, 3 * MiB + 40 * 1024]] };
    const run = await rescue(data, damage, { retries: 0 });
    expectExact(run, data, damage);
    expect(run.ctx.perSectorErrors).toBe(true);
    expect(attemptsPerSector(run.source).maxOnOne).toBe(1);
  });

  test("a page-granular source (buffered block device) never gets good sectors marked bad", async () => {
    const data = randomData(2 * MiB, 13);
    const damage: MemoryDamage = { bad: [[300 * 1024 + 1024, 300 * 1024 + 1536], [1 * MiB + 512, 1 * MiB + 3 * 512]] };
    const inner = new MemorySource(data, damage);
    // Like the page cache: a read fails whole 4 KiB pages, and a short read stops on a page boundary.
    const PAGE = 4096;
    const pageBad = (p: number) => isBad(damage, p) || [0, 1, 2, 3, 4, 5, 6, 7].some((k) => isBad(damage, Math.floor(p / PAGE) * PAGE + k * 512));
    const source = Object.assign(Object.create(MemorySource.prototype), inner, {
      read(buf: Uint8Array, len: number, off: number): number {
        let good = 0;
        while (good < len && !pageBad(off + good)) good = Math.min(len, Math.floor((off + good) / PAGE) * PAGE + PAGE - off);
        const n = good === 0 ? -5 : good;
        if (n > 0) buf.set(data.subarray(off, off + n));
        inner.reads.push({ offset: off, length: len, result: n });
        return n;
      },
    }) as MemorySource;
    const run = await rescue(data, damage, { retries: 0 }, { source });
    expect(run.ctx.perSectorErrors).toBe(false);
    // Through the page cache a failing page is unreadable as a whole; everything else is rescued.
    const pages = damage.bad!.map(([a, b]) => [Math.floor(a / PAGE) * PAGE, Math.ceil(b / PAGE) * PAGE] as [number, number]);
    expectExact(run, data, { bad: pages });
    // And each sector of those pages was classified by its own one-sector read.
    expect(source.reads.filter((r) => r.result < 0 && r.length === 512)).toHaveLength(16);
  });
});
