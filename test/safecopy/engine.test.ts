// The pure engine over MemorySource. Expected symbol streams come from the recorded runs
// of the real safecopy 1.7 (scenario names in the test titles) or from its specification.
import { describe, expect, test } from "bun:test";
import { MemorySource } from "../../src/io/memory-source.ts";
import { SafecopyEngine } from "../../src/rescue/safecopy/engine.ts";
import { SourceMedium } from "../../src/rescue/safecopy/source-medium.ts";
import type { Source } from "../../src/io/source.ts";
import { pattern, runEngine, symbols } from "./engine-harness.ts";

const KiB = 1024;

describe("read loop", () => {
  test("a dot for the first full read and every 1024 after it (r05)", () => {
    const r = runEngine({ data: pattern(3 * 1024 * KiB) });
    expect(symbols(r.out)).toBe("...");
    expect(r.result.exitCode).toBe(0);
    expect(Buffer.compare(r.dest, r.source.data)).toBe(0);
  });
  test("a short final read prints '_' (r03)", () => {
    expect(symbols(runEngine({ data: pattern(10000) }).out)).toBe("._");
  });
  test("retries at minimum size, skip, backtrack (s01: -f 4*, -R 3)", () => {
    const r = runEngine({ data: pattern(10 * KiB), damage: { bad: [[2048, 3072]] }, cfg: { skipSize: 4096 } });
    expect(symbols(r.out)).toBe(".!![2](+2048){X<<}[3](+1024).");
    expect(r.badblocks).toEqual([2]);
    expect(r.result.exitCode).toBe(1);
    expect(r.out).toContain("Unrecoverable bad blocks (bytes): 1 (1024)\nBlocks (bytes) copied: 10 (10240)\n");
  });
  test("halving to byte resolution at the start of an area (s05: -f 8* -r 1 -R 1)", () => {
    const r = runEngine({ data: pattern(20 * KiB), damage: { bad: [[2048, 5120]] }, cfg: { skipSize: 8192, resolution: 1, retries: 1 } });
    expect(symbols(r.out)).toBe(".>>>>>>>>>>[2](+2048){X<<<<<<<<<<<<<}[5](+3072).");
    expect(r.badblocks).toEqual([2, 3, 4]);
  });
  test("a weak sector read on a retry counts as recovered (s06)", () => {
    const r = runEngine({ data: pattern(10 * KiB), damage: { weak: [{ start: 2048, end: 3072, failures: 2 }] }, cfg: { skipSize: 4096 } });
    expect(symbols(r.out)).toBe(".!!.");
    expect(r.out).toContain("Recovered bad blocks: 1\n");
    expect(r.result.exitCode).toBe(0);
    expect(Buffer.compare(r.dest, r.source.data)).toBe(0);
  });
  test("one read attempt per timing line, block numbers and results as safecopy writes them", () => {
    const r = runEngine({ data: pattern(5000) });
    expect(r.timing.map((t) => [t.block, t.result])).toEqual([[0, 1024], [1, 1024], [2, 1024], [3, 1024], [4, 904], [4, 0]]);
  });
});

describe("marking", () => {
  test("-M fills unreadable areas, pattern restarting at each block, file padded to the end (s08)", () => {
    const marker = new TextEncoder().encode("MARKBAAD");
    const r = runEngine({ data: pattern(10 * KiB), damage: { bad: [[8192, 10240]] }, cfg: { skipSize: 4096, retries: 1, marker } });
    expect(r.destSize).toBe(10240);
    expect(new TextDecoder().decode(r.dest.subarray(8192, 8200))).toBe("MARKBAAD");
    expect(new TextDecoder().decode(r.dest.subarray(9216, 9224))).toBe("MARKBAAD");
    expect(r.badblocks).toEqual([8, 9]);
  });
  test("fix: -M with an empty marker writes zeros, never stray memory", () => {
    const r = runEngine({ data: pattern(10 * KiB, 5).fill(0xff), damage: { bad: [[3072, 4096]] }, cfg: { skipSize: 1024, retries: 1, marker: new Uint8Array(0) } });
    expect([...r.dest.subarray(3072, 4096)].every((x) => x === 0)).toBe(true);
    expect([...r.dest.subarray(4096, 5120)].every((x) => x === 0xff)).toBe(true);
  });
  test("bad-block numbers include -s, progress numbers do not (s12)", () => {
    const r = runEngine({ data: pattern(10 * KiB), damage: { bad: [[4096, 5120]] }, cfg: { skipSize: 1024, retries: 1, startOffset: 2048, length: 5120 } });
    expect(symbols(r.out)).toBe(".[2](+2048){X}[3](+1024).");
    expect(r.badblocks).toEqual([4]);
  });
  test("fix: an unreadable end with -s is marked up to the end of the source, not -s further", () => {
    const marker = new TextEncoder().encode("M");
    const r = runEngine({ data: pattern(10 * KiB), damage: { bad: [[8192, 10240]] }, cfg: { skipSize: 1024, retries: 1, startOffset: 2048, marker } });
    expect(r.destSize).toBe(8192);
    expect(r.badblocks).toEqual([8, 9]);
  });
});

describe("incremental and exclusion", () => {
  test("only listed blocks are re-read (r10)", () => {
    const prefill = new Uint8Array(10 * KiB).fill(1);
    const r = runEngine({ data: pattern(10 * KiB), include: "2\n5\n", prefill });
    // Then the old end (block 10), where the list resumes: end of source.
    expect(r.source.reads.map((x) => x.offset)).toEqual([2048, 5120, 10240]);
    expect(r.dest[2048]).toBe(r.source.data[2048]!);
    expect(r.dest[3072]).toBe(1);
  });
  test("fix: a list entry beyond the old end does not skip the gap before it (r15)", () => {
    const prefill = new Uint8Array(10 * KiB).fill(1);
    const r = runEngine({ data: pattern(10 * KiB), include: "7\n", prefill, cfg: { targetSize: 3072 } });
    expect(Buffer.compare(r.dest.subarray(3072), r.source.data.subarray(3072))).toBe(0);
    expect([...r.dest.subarray(0, 3072)].every((x) => x === 1)).toBe(true);
  });
  test("an unsorted list stops the run with exit 2 (r34)", () => {
    const r = runEngine({ data: pattern(10 * KiB), include: "5\n2\n", prefill: new Uint8Array(10 * KiB) });
    expect(r.err).toBe("Parse error in badblocks file in.badblocks: not sorted correctly!\n");
    expect(r.out).toContain("\nAborted because of error!\n");
    expect(r.result.exitCode).toBe(2);
  });
  test("excluded blocks are never read (r17)", () => {
    const r = runEngine({ data: pattern(10 * KiB), exclude: "1\n3\n9\n" });
    const touched = new Set(r.source.reads.flatMap((x) => [Math.floor(x.offset / 1024)]));
    for (const b of [1, 3, 9]) expect(touched.has(b)).toBe(false);
  });
});

describe("speed without changing the outcome", () => {
  const cases = {
    healthy: { data: pattern(4 * 1024 * KiB) },
    damaged: { data: pattern(12 * 1024 * KiB), damage: { bad: [[4_997_120, 5_009_408], [5_500_928, 5_501_440]] as Array<[number, number]> }, sector: 512, cfg: { blockSize: 4096, skipSize: 65536, resolution: 512 } },
  };
  for (const [name, c] of Object.entries(cases)) {
    test(`read-ahead keeps symbols, data and bad blocks identical (${name})`, () => {
      const plain = runEngine({ ...c, readAhead: false });
      const fast = runEngine({ ...c, readAhead: true });
      expect(fast.out).toBe(plain.out);
      expect(fast.badblocks).toEqual(plain.badblocks);
      expect(Buffer.compare(fast.dest, plain.dest)).toBe(0);
      // Near damage it reads exactly (4 MiB of caution after each problem), elsewhere in MiBs.
      expect(fast.source.reads.length).toBeLessThan(plain.source.reads.length / 2);
    });
  }
});

describe("termination", () => {
  test("fix: a source failing everywhere past its size ends instead of skipping forever (r44)", () => {
    const failing: Source = { path: "dir", size: 4096, seekable: true, sectorSize: 512, alignment: 1, read: () => -21, close() {} };
    const medium = new SourceMedium(failing, { open: () => failing, headMoves: 0, blockSize: 1024, refuseSeekPastEnd: false, readAhead: false, describe: () => "Is a directory" });
    const cfg = { blockSize: 1024, skipSize: 1024, resolution: 1024, retries: 1, headMoves: 0, lowLevel: 0, startOffset: 0, length: -1, fileSize: 4096, include: null, includeBlockSize: 1024, includeName: "", targetSize: 0, exclude: null, excludeBlockSize: 1024, excludeName: "", marker: null, badblocksOut: false, timing: false, human: false, debug: 0, destName: "d" };
    let out = "";
    const engine = new SafecopyEngine(cfg, medium, { out: (t) => (out += t), err() {}, write: () => null, badBlock() {}, timing() {} }, new Uint8Array(1024));
    engine.start();
    let steps = 0;
    while (engine.step() && steps < 1000) steps++;
    expect(steps).toBeLessThan(10);
    expect(engine.finish().exitCode).toBe(1);
    expect(symbols(out)).toBe("[0](+0){XXXXX}[5](+5120)");
  });
  test("requestAbort stops at the next step with safecopy's message and exit 2", () => {
    const src = new MemorySource(pattern(64 * KiB), {}, 512);
    const medium = new SourceMedium(src, { open: () => src, headMoves: 0, blockSize: 1024, refuseSeekPastEnd: true, readAhead: false, describe: () => "" });
    const cfg = { blockSize: 1024, skipSize: 16384, resolution: 1024, retries: 3, headMoves: 0, lowLevel: 0, startOffset: 0, length: -1, fileSize: 65536, include: null, includeBlockSize: 1024, includeName: "", targetSize: 0, exclude: null, excludeBlockSize: 1024, excludeName: "", marker: null, badblocksOut: false, timing: false, human: false, debug: 0, destName: "d" };
    let out = "";
    const engine = new SafecopyEngine(cfg, medium, { out: (t) => (out += t), err() {}, write: () => null, badBlock() {}, timing() {} }, new Uint8Array(1024));
    engine.start();
    for (let i = 0; i < 5; i++) engine.step();
    engine.requestAbort();
    expect(engine.step()).toBe(false);
    expect(engine.finish().exitCode).toBe(2);
    expect(out).toBe(".\nAborted by user request!\nRecovered bad blocks: 0\nUnrecoverable bad blocks (bytes): 0 (0)\nBlocks (bytes) copied: 5 (5120)\n");
  });
  test("a write error aborts with safecopy's message and exit 2", () => {
    const src = new MemorySource(pattern(8 * KiB), {}, 512);
    const medium = new SourceMedium(src, { open: () => src, headMoves: 0, blockSize: 1024, refuseSeekPastEnd: true, readAhead: false, describe: () => "" });
    const cfg = { blockSize: 1024, skipSize: 16384, resolution: 1024, retries: 3, headMoves: 0, lowLevel: 0, startOffset: 0, length: -1, fileSize: 8192, include: null, includeBlockSize: 1024, includeName: "", targetSize: 0, exclude: null, excludeBlockSize: 1024, excludeName: "", marker: null, badblocksOut: false, timing: false, human: false, debug: 0, destName: "out.dat" };
    let err = "";
    let writes = 0;
    const engine = new SafecopyEngine(cfg, medium, { out() {}, err: (t) => (err += t), write: () => (++writes > 3 ? "No space left on device" : null), badBlock() {}, timing() {} }, new Uint8Array(1024));
    engine.start();
    while (engine.step());
    expect(engine.finish()).toMatchObject({ exitCode: 2, aborted: 2, written: 3072 });
    expect(err).toBe("\nError: write to out.dat failed : No space left on device\n");
  });
});
