// rescue --used-first on in-memory fakes: the stages come in order (metadata, used data,
// free space), each engine run stays inside its stage, damaged metadata is copied and
// trimmed first, scraped and retried with the used data, and its group counted as used, and garbage or hostile metadata falls back to the
// whole disk with one-line notes.
import { describe, expect, test } from "bun:test";
import { MemorySource, type MemoryDamage } from "../../src/io/memory-source.ts";
import { findUsedSpace, firstRanges, metadataRanges, toSectors, usedRanges } from "../../src/fsmap/find.ts";
import { rangeBytes, subtractRanges, unionRanges } from "../../src/fsmap/ranges.ts";
import type { ReadBytes } from "../../src/fsmap/types.ts";
import { RescueContext } from "../../src/rescue/mapfile/context.ts";
import type { Domain } from "../../src/rescue/mapfile/domain.ts";
import { runRescue } from "../../src/rescue/mapfile/engine.ts";
import type { RescueEvent } from "../../src/rescue/mapfile/events.ts";
import { resolveOptions } from "../../src/rescue/mapfile/options.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { Domain as D } from "../../src/rescue/mapfile/domain.ts";
import { rescueUsedFirst, stageOptions, type StageInfo } from "../../src/rescue/used-first.ts";
import { fixtureBytes } from "../ffs/fixtures.ts";
import { memoryReader } from "../fsmap/helpers.ts";
import { extImagePath } from "../fsmap/ext-cases.ts";
import { readFileSync } from "node:fs";
import { MemoryTarget, randomData } from "./helpers.ts";

interface StageRun {
  stage: StageInfo["stage"];
  domain: Domain;
  reads: { offset: number; length: number; result: number }[];
  /** Engine phases this run went through, and copy passes. */
  phases: Set<string>;
  passes: Set<number>;
  /** Failed reads, with the engine phase each came in. */
  failed: { pos: number; phase: string }[];
}

async function usedFirst(img: Uint8Array, damage: MemoryDamage = {}, usedOnly = false) {
  const source = new MemorySource(img, damage);
  const target = new MemoryTarget(img.length);
  const map = new StatusMap(img.length);
  const runs: StageRun[] = [];
  const notes: string[] = [];
  const stages: StageInfo[] = [];
  const readRescued: ReadBytes = (o, n) => (o >= 0 && o + n <= map.end && map.totals(o, o + n)["+"] === n ? target.data.slice(o, o + n) : null);
  const r = await rescueUsedFirst({
    map,
    sector: 512,
    within: D.whole(img.length),
    usedOnly,
    readRescued,
    onStage: (s) => stages.push(s),
    onNote: (n) => notes.push(n),
    run: async (domain, info) => {
      const first = source.reads.length;
      const phases = new Set<string>();
      const passes = new Set<number>();
      const failed: StageRun["failed"] = [];
      let phase = "";
      const hooks = {
        onEvent: (e: RescueEvent) => {
          if (e.type === "phase") (phases.add((phase = e.phase)), e.phase === "copying" && passes.add(e.pass));
          if (e.type === "read" && e.result < 0) failed.push({ pos: e.pos, phase });
        },
      };
      const ctx = new RescueContext(source, target, map, domain, resolveOptions(stageOptions(info), domain.size, 512), hooks);
      const res = await runRescue(ctx);
      runs.push({ stage: info.stage, domain, reads: source.reads.slice(first), phases, passes, failed });
      return res;
    },
  });
  return { r, map, target, runs, notes, stages };
}

const inside = (d: Domain, o: number, n: number) => d.ranges.some(([a, b]) => o >= a && o + n <= b);

describe("rescue --used-first (engine)", () => {
  test("metadata, then used data, then free space; every read inside its stage; the copy is exact", async () => {
    const img = fixtureBytes("ffs.bin.gz");
    const { r, map, target, runs, stages } = await usedFirst(img);
    expect(r.outcome).toBe("finished");
    expect(stages.map((s) => s.stage)).toEqual(["metadata", "used", "free"]);
    const order = runs.map((x) => x.stage);
    expect(order.slice(-2)).toEqual(["used", "free"]);
    expect(order.slice(0, -2).every((s) => s === "metadata")).toBe(true);
    for (const run of runs) for (const rd of run.reads) expect(inside(run.domain, rd.offset, rd.length)).toBe(true);
    // When the first used-data read happens, every metadata byte is already rescued.
    const u = findUsedSpace(memoryReader(img), img.length);
    expect(u.filesystems[0]!.filesystem).toBe("ufs2");
    const meta = toSectors(metadataRanges(u), 512, img.length);
    const metaRuns = runs.filter((x) => x.stage === "metadata");
    const metaDone = unionRanges(metaRuns.flatMap((x) => x.domain.ranges.map(([a, b]) => ({ start: a, length: b - a }))));
    expect(subtractRanges(meta, metaDone)).toEqual([]);
    // Used data is exactly what the parser of the original image reports.
    const used = toSectors(usedRanges(u), 512, img.length);
    expect(r.used.size).toBe(rangeBytes(used));
    expect(map.totals()["+"]).toBe(img.length);
    expect(Buffer.compare(Buffer.from(target.data), Buffer.from(img))).toBe(0);
  });

  test("ext: stage 1 reads the metadata marked first, not never-used inode-table tails or a clean journal", async () => {
    const img = new Uint8Array(readFileSync(extImagePath("ext4-64bit")));
    const u = findUsedSpace(memoryReader(img), img.length);
    const later = subtractRanges(toSectors(metadataRanges(u), 512, img.length), toSectors(firstRanges(u), 512, img.length));
    expect(rangeBytes(later)).toBeGreaterThan(img.length / 8);
    const { r, runs, target } = await usedFirst(img);
    expect(r.outcome).toBe("finished");
    const hits = (run: StageRun) => run.reads.filter((x) => later.some((l) => x.offset < l.start + l.length && l.start < x.offset + x.length));
    // Only other filesystems' probes land there (a sector each); never a backup superblock or
    // descriptor block: the parse waits for the primary copies instead (ReadBytes.pending).
    const stage1 = runs.filter((x) => x.stage === "metadata").flatMap(hits);
    for (const x of stage1) expect(x.length).toBeLessThanOrEqual(512);
    expect(stage1.reduce((n, x) => n + x.length, 0)).toBeLessThanOrEqual(4096);
    expect(hits(runs.find((x) => x.stage === "used")!).length).toBeGreaterThan(0);
    expect(Buffer.compare(Buffer.from(target.data), Buffer.from(img))).toBe(0);
  });

  test("--used-only leaves free space untried", async () => {
    const img = fixtureBytes("ffs.bin.gz");
    const { r, map } = await usedFirst(img, {}, true);
    expect(r.outcome).toBe("finished");
    expect(map.totals()["+"]).toBe(r.used.size);
    expect(map.totals()["?"]).toBe(img.length - r.used.size);
  });

  test("a bad cylinder-group header: handled by the engine (marked bad), its group's data counted as used", async () => {
    const img = fixtureBytes("ffs.bin.gz");
    const u = findUsedSpace(memoryReader(img), img.length);
    const m = u.filesystems[0]!.metadata[1]!; // group 1: backup superblock, header, inodes
    const bad: [number, number] = [m.start, m.start + m.length];
    const { r, map, notes } = await usedFirst(img, { bad: [bad] });
    expect(r.outcome).toBe("finished");
    expect(notes).toEqual([]);
    expect(map.totals(bad[0], bad[1])["-"]).toBe(bad[1] - bad[0]);
    const damaged = findUsedSpace(memoryReader(img, [bad]), img.length);
    expect(damaged.filesystems[0]!.unknown.length).toBeGreaterThan(0);
    expect(r.used.size).toBe(rangeBytes(toSectors(usedRanges(damaged), 512, img.length)));
    expect(r.used.size).toBeGreaterThan(rangeBytes(toSectors(usedRanges(u), 512, img.length)));
  });

  test("bad sectors in metadata: copied and trimmed in stage 1 (no probing, scraping or retries), scraped and retried in stage 2", async () => {
    const img = fixtureBytes("ffs.bin.gz");
    const u = findUsedSpace(memoryReader(img), img.length);
    const m = u.filesystems[0]!.metadata[1]!;
    // two bad sectors with a good one between: only scraping finds the good one
    const bad: [number, number][] = [[m.start + 4096, m.start + 4608], [m.start + 5120, m.start + 5632]];
    const { r, runs, map, target } = await usedFirst(img, { bad });
    expect(r.outcome).toBe("finished");
    const touches = (run: StageRun, a: number, b: number) => run.reads.filter((x) => x.offset < b && x.offset + x.length > a);
    const meta = runs.filter((x) => x.stage === "metadata");
    const used = runs.find((x) => x.stage === "used")!;
    // stage 1 copies and trims, never probes gaps (pass 4), scrapes or retries; stage 2 scrapes, and reads the bad sectors again
    expect(meta.every((x) => !x.passes.has(4) && !x.phases.has("scraping") && !x.phases.has("retrying"))).toBe(true);
    expect(meta.some((x) => touches(x, bad[0]![0], bad[0]![1]).some((rd) => rd.result < 0))).toBe(true);
    expect(used.phases.has("scraping")).toBe(true);
    expect(touches(used, bad[0]![0], bad[1]![1]).filter((rd) => rd.result < 0).length).toBeGreaterThanOrEqual(1);
    expect(runs.filter((x) => x.stage === "free").every((x) => touches(x, m.start, m.start + m.length).length === 0)).toBe(true);
    expect(map.totals(m.start, m.start + m.length)["-"]).toBe(1024);
    expect(Buffer.compare(Buffer.from(target.data.subarray(m.start + 4608, m.start + 5120)), Buffer.from(img.subarray(m.start + 4608, m.start + 5120)))).toBe(0);
  });

  test("stages 2 and 3: a range ending inside a bad area is not crawled from the unread side", async () => {
    // A used range after a long good run, ending inside a bad area that goes on into free
    // space: what lies past the range's end is unread, not good data, so the failed block is
    // not taken for a small defect between good runs and crawled sector by sector before the
    // rest of the used data (it is scraped with the others, at the end).
    const piece = new D([[200 * 1024, 320 * 1024]]);
    const damage: MemoryDamage = { bad: [[264 * 1024, 400 * 1024]], failWhole: true };
    for (const stage of ["used", "free"] as const) {
      const info: StageInfo = { stage, index: stage === "used" ? 2 : 3, count: 3, domainBytes: 120 * 1024 };
      const data = randomData(1 << 20);
      const source = new MemorySource(data, damage);
      let phase = "";
      let early = 0;
      const hooks = { onEvent: (e: RescueEvent) => {
        if (e.type === "phase") phase = e.phase;
        if (e.type === "read" && e.result < 0 && phase !== "scraping" && phase !== "retrying") early++;
      } };
      const ctx = new RescueContext(source, new MemoryTarget(data.length), new StatusMap(data.length), piece, resolveOptions(stageOptions(info), piece.size, 512), hooks);
      expect((await runRescue(ctx)).outcome).toBe("finished");
      // A few (the contact, the leading edge, a probe); crawling costs 8 in a row on top.
      expect(early).toBeLessThanOrEqual(5);
      expect(ctx.map.statusAt(264 * 1024 - 512)).toBe("+");
    }
  });

  test("garbage: one note, the whole disk is the used data, everything rescued", async () => {
    const img = randomData(1 << 20, 5);
    const { r, map, notes, stages } = await usedFirst(img);
    expect(r.outcome).toBe("finished");
    expect(notes).toEqual(["whole disk: no known filesystem", "no filesystem could be read: rescuing the whole disk"]);
    expect(r.used.size).toBe(img.length);
    expect(stages.find((s) => s.stage === "free")!.domainBytes).toBe(0);
    expect(map.totals()["+"]).toBe(img.length);
  });

  test("hostile superblock (absurd geometry): a one-line note and the whole disk", async () => {
    const img = fixtureBytes("ffs.bin.gz").slice();
    // fs_ncg (offset 44 in the superblock at 64 KiB) set absurdly high
    new DataView(img.buffer).setInt32(65536 + 44, 0x7fffffff, true);
    const { r, map, notes } = await usedFirst(img);
    expect(r.outcome).toBe("finished");
    expect(notes.length).toBe(2);
    expect(notes[0]).toMatch(/^whole disk: ufs: /);
    for (const n of notes) expect(n).not.toContain("\n");
    expect(map.totals()["+"]).toBe(img.length);
  });
});
