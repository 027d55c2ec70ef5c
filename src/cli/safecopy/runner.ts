// The safecopy-compatible command: settings and header, then opening source, lists and
// destination in safecopy's order with its messages and exit codes, then the engine loop
// (yielding to the event loop so SIGINT/SIGTERM stop it within a second), then the summary.
import { isatty } from "node:tty";
import { BadblockReader } from "../../formats/badblocks.ts";
import { formatTimingLine } from "../../formats/timing.ts";
import { noLowLevelDevice, type LowLevelDevice } from "../../io/low-level-device.ts";
import { FileSource } from "../../io/file-source.ts";
import { openRescueSource } from "../../io/open-rescue-source.ts";
import type { Source } from "../../io/source.ts";
import { alignedBuffer } from "../../native/aligned.ts";
import { describeErrno } from "../../native/io.ts";
import { SafecopyEngine } from "../../rescue/safecopy/engine.ts";
import { SourceMedium } from "../../rescue/safecopy/source-medium.ts";
import type { SafecopyConfig } from "../../rescue/safecopy/types.ts";
import { AppendFile, readListFile } from "./files.ts";
import { usage } from "./help.ts";
import { descriptorWriter } from "./output.ts";
import { resolveSettings, type Settings } from "./settings.ts";
import { isBlockDevice, openDestination, probeSource, refuseOverwrite, runSeekScript } from "./runner-io.ts";
import { WriteBehind } from "./write-behind.ts";
import { ByteProgress, titleSink, type ProgressSink } from "../progress/byte-progress.ts";

/** A source that is not a file (in-process tests): stat fails on it, like on safecopy's simulated `debug`. */
export interface VirtualSource {
  open(): Source;
  /** What lseek(SEEK_END) reports. */
  size: number;
}

export interface RunnerIo {
  out(text: string): void;
  err(text: string): void;
  /** stdout and stderr are both terminals. */
  human: boolean;
  virtualSource?(path: string): VirtualSource | null;
  lowLevel?: LowLevelDevice;
  /** Where progress goes when stderr is a terminal (its title); none in tests that run in-process. */
  title?: ProgressSink;
  /** Large reads on healthy areas (default on; SALVAGE_READAHEAD=0 turns it off). */
  readAhead?: boolean;
}

export const processIo = (): RunnerIo => {
  const err = descriptorWriter(2);
  return {
    out: descriptorWriter(1),
    err,
    human: isatty(1) && isatty(2),
    // Written in order with the messages on stderr (the same synchronous writer).
    title: titleSink({ isTTY: isatty(2), write: err }),
    readAhead: process.env.SALVAGE_READAHEAD !== "0",
  };
};

export async function runSafecopy(argv: readonly string[], program: string, io: RunnerIo = processIo()): Promise<number> {
  const virtual = (p: string) => io.virtualSource?.(p) ?? null;
  const lowLevel = io.lowLevel ?? noLowLevelDevice;
  const outcome = resolveSettings(argv, probeSource(virtual, lowLevel), io);
  if (outcome.kind === "help") {
    io.out(usage(program));
    return 0;
  }
  if (outcome.kind === "error") return outcome.exitCode;
  const s = outcome.settings;
  io.out(`Source: ${s.source}\nDestination: ${s.dest}\n`);

  const v = virtual(s.source);
  // safecopy reopens the source after every failed read (three times with -Z 1): the
  // first open probes what the source is, later ones open the same kind again unprobed.
  let opened: Source | null = null;
  const openSource = (): Source | string => {
    if (v) return v.open();
    const r = opened instanceof FileSource ? opened.openAgain() : openRescueSource(s.source, { direct: s.sync });
    if (typeof r === "number") return describeErrno(-r);
    opened ??= r;
    return r;
  };
  const first = openSource();
  if (typeof first === "string") {
    io.err(`Error opening sourcefile: ${s.source} : ${first}\n`);
    if (io.human) io.err(usage(program));
    return 2;
  }
  const cleanup: Array<() => void> = [() => first.close()];
  const closeAll = () => cleanup.reverse().forEach((f) => f());
  try {
    return await copy(s, first, openSource, v !== null, io, program, lowLevel, cleanup);
  } finally {
    closeAll();
  }
}

async function copy(
  s: Settings, first: Source, openSource: () => Source | string, simulated: boolean, io: RunnerIo,
  program: string, lowLevel: LowLevelDevice, cleanup: Array<() => void>,
): Promise<number> {
  if (!simulated) {
    const refused = refuseOverwrite(s);
    if (refused) {
      io.err(refused);
      return 2;
    }
  }
  let excludeText: string | null = null;
  if (s.excludeFile !== null) {
    const r = readListFile(s.excludeFile);
    if ("error" in r) {
      io.err(`Error opening exclusion badblock file for reading: ${s.excludeFile} : ${r.error}\n`);
      return 2;
    }
    excludeText = r.text;
  }
  let includeText: string | null = null;
  if (s.includeFile !== null) {
    const r = readListFile(s.includeFile);
    if ("error" in r) {
      io.err(`Error opening badblock file for reading: ${s.includeFile} : ${r.error}\n`);
      return 2;
    }
    includeText = r.text;
  }
  const dest = openDestination(s, includeText !== null, io, program);
  if (typeof dest === "number") return dest;
  cleanup.push(() => dest.close());

  let badblocks: AppendFile | null = null;
  if (s.badblocksFile !== null) {
    const f = AppendFile.open(s.badblocksFile, includeText === null);
    if (typeof f === "string") {
      io.err(`Error opening badblock file for writing: ${s.badblocksFile} : ${f}\n`);
      return 2;
    }
    badblocks = f;
    cleanup.push(() => f.close());
  }
  let timing: AppendFile | null = null;
  if (s.timingFile !== null) {
    const f = AppendFile.open(s.timingFile, false);
    if (typeof f === "string") {
      io.err(`Error opening timingfile for writing: ${s.timingFile} : ${f}\n`);
      return 2;
    }
    timing = f;
    cleanup.push(() => f.close());
  }

  const b = s.blockSize;
  const cfg: SafecopyConfig = {
    blockSize: b, skipSize: s.skipSize, resolution: s.resolution, retries: s.retries, headMoves: s.headMoves, lowLevel: s.lowLevel,
    startOffset: s.startOffset, length: s.length, fileSize: s.fileSize,
    include: includeText !== null ? new BadblockReader(includeText) : null, includeBlockSize: s.includeBlockSize,
    includeName: s.includeFile ?? "", targetSize: dest.targetSize,
    exclude: excludeText !== null ? new BadblockReader(excludeText) : null, excludeBlockSize: s.excludeBlockSize,
    excludeName: s.excludeFile ?? "", marker: s.marker !== null ? new TextEncoder().encode(s.marker) : null,
    badblocksOut: badblocks !== null, timing: timing !== null, human: io.human, debug: s.debug, destName: s.dest,
  };
  const allocate = (n: number) => (s.sync ? alignedBuffer(n, 4096) : new Uint8Array(n));
  const medium = new SourceMedium(first, {
    open: openSource,
    headMoves: s.headMoves,
    blockSize: b,
    refuseSeekPastEnd: simulated || isBlockDevice(s.source),
    seekScript: s.seekScript ? (blocks, size, pos) => runSeekScript(s.seekScript!, blocks, size, pos) : undefined,
    lowLevel,
    readAhead: (io.readAhead ?? true) && timing === null && s.lowLevel < 2,
    allocate,
    describe: describeErrno,
  });
  cleanup.push(() => medium.close());
  const writer = new WriteBehind(dest.fd, describeErrno);
  const engine = new SafecopyEngine(cfg, medium, {
    out: io.out,
    err: io.err,
    write: (buf, len, pos) => writer.write(buf, len, pos),
    writtenUpTo: () => writer.writtenUpTo(),
    badBlock: (n) => {
      writer.flush();
      badblocks?.append(`${n}\n`);
    },
    timing: (r) => timing?.append(formatTimingLine(r)),
  }, allocate(b), { forceOpen: s.forceOpen });

  const onSignal = () => engine.requestAbort();
  // Rate and time left in the terminal's title: safecopy's own output stays as it is.
  const progress = new ByteProgress("salvage copy", engine.position.total, io.title ?? { show() {}, done() {} }, 1000);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    engine.start();
    let lastYield = performance.now();
    while (engine.step()) {
      if (engine.waitingForSource) await Bun.sleep(1000);
      else if (performance.now() - lastYield > 20) {
        progress.update(engine.position.done);
        await new Promise((r) => setImmediate(r));
        lastYield = performance.now();
      }
    }
    // Writes are coalesced: a failure may surface only now, and must still abort the run.
    const problem = writer.flush();
    if (problem) engine.abortWithError(`\nError: write to ${s.dest} failed : ${problem}\n`);
    const result = engine.finish();
    const late = writer.flush();
    if (late) io.err(`\nError: write to ${s.dest} failed : ${late}\n`);
    dest.sync();
    return late ? 2 : result.exitCode;
  } finally {
    progress.done();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

