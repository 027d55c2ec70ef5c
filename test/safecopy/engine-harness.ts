// Runs the pure engine over a MemorySource and collects every event, for unit tests.
import { BadblockReader } from "../../src/formats/badblocks.ts";
import type { TimingRecord } from "../../src/formats/timing.ts";
import { MemorySource, type MemoryDamage } from "../../src/io/memory-source.ts";
import { IntermittentSource } from "./intermittent-source.ts";
import { SafecopyEngine } from "../../src/rescue/safecopy/engine.ts";
import { SourceMedium } from "../../src/rescue/safecopy/source-medium.ts";
import type { EngineResult, SafecopyConfig } from "../../src/rescue/safecopy/types.ts";

export interface EngineRun {
  out: string;
  err: string;
  dest: Uint8Array;
  destSize: number;
  badblocks: number[];
  timing: TimingRecord[];
  result: EngineResult;
  source: MemorySource;
  /** engine.step() calls that returned true (bounded by EngineCase.maxSteps). */
  steps: number;
}

export interface EngineCase {
  data: Uint8Array;
  damage?: MemoryDamage;
  sector?: number;
  cfg?: Partial<SafecopyConfig>;
  include?: string;
  exclude?: string;
  prefill?: Uint8Array;
  headMoves?: number;
  readAhead?: boolean;
  /** Intermittent sectors (safecopy simulator's softfail) and their initial failure count. */
  intermittent?: { sectors: number[]; failures: number };
  /** Stop a run that would not end after this many steps (finish() still runs). */
  maxSteps?: number;
}

export function pattern(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function runEngine(c: EngineCase): EngineRun {
  const source = c.intermittent
    ? new IntermittentSource(c.data, c.damage ?? {}, c.intermittent.sectors, c.intermittent.failures, c.sector ?? 1024)
    : new MemorySource(c.data, c.damage ?? {}, c.sector ?? 1024);
  const b = c.cfg?.blockSize ?? 1024;
  const cfg: SafecopyConfig = {
    blockSize: b, skipSize: 16 * b, resolution: b, retries: 3, headMoves: c.headMoves ?? 0, lowLevel: 0, startOffset: 0, length: -1,
    fileSize: c.data.length, include: c.include !== undefined ? new BadblockReader(c.include) : null,
    includeBlockSize: b, includeName: "in.badblocks", targetSize: c.prefill?.length ?? 0,
    exclude: c.exclude !== undefined ? new BadblockReader(c.exclude) : null, excludeBlockSize: b, excludeName: "xblocks",
    marker: null, badblocksOut: true, timing: true, human: false, debug: 0, destName: "out.dat",
    ...c.cfg,
  };
  let dest = new Uint8Array(Math.max(c.prefill?.length ?? 0, c.data.length * 2 + 65536));
  let destSize = 0;
  if (c.prefill) {
    dest.set(c.prefill);
    destSize = c.prefill.length;
  }
  const run = { out: "", err: "", badblocks: [] as number[], timing: [] as TimingRecord[] };
  const medium = new SourceMedium(source, {
    open: () => source, headMoves: c.headMoves ?? 0, blockSize: b, refuseSeekPastEnd: true,
    readAhead: c.readAhead ?? false, describe: (e) => (e === 5 ? "Input/output error" : `errno ${e}`),
  });
  const engine = new SafecopyEngine(cfg, medium, {
    out: (t) => (run.out += t),
    err: (t) => (run.err += t),
    write: (buf, len, pos) => {
      if (pos + len > dest.length) {
        const bigger = new Uint8Array((pos + len) * 2);
        bigger.set(dest);
        dest = bigger;
      }
      dest.set(buf.subarray(0, len), pos);
      destSize = Math.max(destSize, pos + len);
      return null;
    },
    badBlock: (n) => run.badblocks.push(n),
    timing: (r) => run.timing.push(r),
  }, new Uint8Array(b));
  engine.start();
  const maxSteps = c.maxSteps ?? Infinity;
  let steps = 0;
  while (steps < maxSteps && engine.step()) steps++;
  const result = engine.finish();
  return { ...run, dest: dest.subarray(0, destSize), destSize, result, source, steps };
}

/** Only the progress line (between the header and the summary). */
export function symbols(out: string): string {
  return out.split("\n")[0]!;
}
