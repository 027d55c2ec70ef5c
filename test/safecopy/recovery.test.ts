// What happens around a failed read: safecopy's head moves (-Z), the reopen (and
// --forceopen's retry while the device is gone), and the seek-script protocol (-S) for
// sources that cannot seek.
import { describe, expect, test } from "bun:test";
import { MemorySource } from "../../src/io/memory-source.ts";
import type { Source } from "../../src/io/source.ts";
import { SafecopyEngine } from "../../src/rescue/safecopy/engine.ts";
import { SourceMedium } from "../../src/rescue/safecopy/source-medium.ts";
import type { SafecopyConfig } from "../../src/rescue/safecopy/types.ts";
import { pattern } from "./engine-harness.ts";

const config = (over: Partial<SafecopyConfig> = {}): SafecopyConfig => ({
  blockSize: 1024, skipSize: 1024, resolution: 1024, retries: 1, headMoves: 0, lowLevel: 0, startOffset: 0, length: -1,
  fileSize: 8192, include: null, includeBlockSize: 1024, includeName: "", targetSize: 0, exclude: null,
  excludeBlockSize: 1024, excludeName: "", marker: null, badblocksOut: false, timing: false, human: false, debug: 0,
  destName: "out.dat", ...over,
});

function engineWith(open: () => Source | string, first: Source, forceOpen: boolean, headMoves = 0) {
  let out = "";
  let err = "";
  const medium = new SourceMedium(first, { open, headMoves, blockSize: 1024, refuseSeekPastEnd: true, readAhead: false, describe: () => "No such device" });
  const engine = new SafecopyEngine(config({ headMoves }), medium, { out: (t) => (out += t), err: (t) => (err += t), write: () => null, badBlock() {}, timing() {} }, new Uint8Array(1024), { forceOpen });
  return { engine, text: () => ({ out, err }) };
}

describe("after a failed read", () => {
  test("-Z N reads the first and the last block N times, then reopens", () => {
    const src = new MemorySource(pattern(8192), { bad: [[2048, 3072]] }, 512);
    let opens = 0;
    const { engine } = engineWith(() => (opens++, src), src, false, 2);
    engine.start();
    while (engine.step());
    engine.finish();
    const moves = src.reads.filter((r) => r.offset === 0 || r.offset === 7168).map((r) => r.offset);
    // The copy itself reads 0 and 7168 once; each failed read adds 2 x (0, 7168).
    expect(moves).toEqual([0, 0, 7168, 0, 7168, 7168]);
    expect(opens).toBe(2 * 2 + 1);
  });

  test("a source that cannot be reopened aborts with safecopy's message and exit 2", () => {
    const src = new MemorySource(pattern(8192), { bad: [[2048, 3072]] }, 512);
    const { engine, text } = engineWith(() => "No such device", src, false);
    engine.start();
    while (engine.step());
    expect(engine.finish().exitCode).toBe(2);
    expect(text().err).toBe("\nError reopening sourcefile after read error : No such device\n");
    expect(text().out).toContain("\nAborted because of error!\n");
  });

  test("--forceopen waits for the source to come back, then goes on", () => {
    const src = new MemorySource(pattern(8192), { bad: [[2048, 3072]] }, 512);
    let gone = 3;
    const { engine, text } = engineWith(() => (gone-- > 0 ? "No such device" : src), src, true);
    engine.start();
    let waits = 0;
    while (engine.step()) if (engine.waitingForSource) waits++;
    const result = engine.finish();
    expect(waits).toBe(3);
    expect(result.exitCode).toBe(1);
    expect(text().out.split("\n")[0]).toBe(".[2](+2048){X}[3](+1024).");
  });

  test("--forceopen still stops on Ctrl-C while waiting", () => {
    const src = new MemorySource(pattern(8192), { bad: [[2048, 3072]] }, 512);
    const { engine, text } = engineWith(() => "No such device", src, true);
    engine.start();
    let steps = 0;
    while (engine.step()) if (engine.waitingForSource && ++steps === 5) engine.requestAbort();
    expect(engine.finish().exitCode).toBe(2);
    expect(text().out).toContain("\nAborted by user request!\n");
  });
});

describe("seek script (-S) on an unseekable source", () => {
  function pipeLike(data: Uint8Array): Source {
    let pos = 0;
    return {
      path: "pipe", size: null, seekable: false, sectorSize: 1, alignment: 1,
      read(buf, length) {
        const n = Math.min(length, data.length - pos);
        buf.set(data.subarray(pos, pos + n));
        pos += n;
        return n;
      },
      close() {},
    };
  }

  test("skips are split into calls of at most 64 blocks, each given blocks, block size and position", () => {
    const calls: number[][] = [];
    const src = pipeLike(pattern(1 << 20));
    const medium = new SourceMedium(src, {
      open: () => src, headMoves: 0, blockSize: 1024, refuseSeekPastEnd: false, readAhead: false, describe: () => "",
      seekScript: (blocks, size, pos) => (calls.push([blocks, size, pos]), blocks),
    });
    expect(medium.seek(0)).toBeLessThan(0);
    expect(medium.skip(150 * 1024, 0)).toEqual({ position: 150 * 1024 });
    expect(calls).toEqual([[64, 1024, 0], [64, 1024, 65536], [22, 1024, 131072]]);
  });

  test("a skip shorter than a block asks for one block; a script answering 0 is a failed skip", () => {
    const calls: number[][] = [];
    const src = pipeLike(pattern(4096));
    const medium = new SourceMedium(src, {
      open: () => src, headMoves: 0, blockSize: 1024, refuseSeekPastEnd: false, readAhead: false, describe: () => "",
      seekScript: (blocks, size, pos) => (calls.push([blocks, size, pos]), 0),
    });
    expect(medium.skip(100, 0)).toEqual({ position: null });
    expect(calls).toEqual([[1, 1024, 0]]);
  });

  test("an unskippable bad area on a pipe ends the run with safecopy's message", () => {
    let failed = false;
    const data = pattern(8192);
    let pos = 0;
    const src: Source = {
      path: "pipe", size: null, seekable: false, sectorSize: 1, alignment: 1,
      read(buf, length) {
        if (pos >= 2048 && !failed) return (failed = true), -5;
        const n = Math.min(length, data.length - pos);
        buf.set(data.subarray(pos, pos + n));
        pos += n;
        return n;
      },
      close() {},
    };
    let out = "";
    let err = "";
    const medium = new SourceMedium(src, { open: () => src, headMoves: 0, blockSize: 1024, refuseSeekPastEnd: false, readAhead: false, describe: () => "Illegal seek" });
    const engine = new SafecopyEngine(config({ fileSize: 0 }), medium, { out: (t) => (out += t), err: (t) => (err += t), write: () => null, badBlock() {}, timing() {} }, new Uint8Array(1024));
    engine.start();
    while (engine.step());
    engine.finish();
    expect(err).toBe("Warning: Input file is not seekable : Illegal seek\n\nError: Unable to skip over bad area.\n");
    expect(out.split("\n")[0]).toBe("|/|.[2](+2048){X}[3](+1024)");
  });
});
