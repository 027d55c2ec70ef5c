// Run a command against a simulated failing disk: compile the damage model into a state
// file, start the command with the preload library, and read the statistics back.
import { rmSync, statSync } from "node:fs";
import { constants } from "node:os";
import { join, resolve } from "node:path";
import { probe } from "../io/probe.ts";
import { writeTextAtomically } from "../util/atomic-file.ts";
import { makePrivateDir } from "../util/private-dir.ts";
import { loadDamage, type DamageFormat } from "./load-damage.ts";
import { clampToDevice, DamageError, type DamageModel } from "./model.ts";
import { preparePreload, type Preload } from "./preload.ts";
import { createRecordFile } from "./read-record.ts";
import { buildState, readState, writeState } from "./state-file.ts";
import { computeStats, type SimStats } from "./stats.ts";
import { prepareTraceFile } from "./trace-file.ts";

export interface SimulateOptions {
  /** Backing image; optional for a safecopy simulator.cfg, which names its `source`. */
  image?: string;
  /** A damage file path, or an already parsed model. */
  damage: string | DamageModel;
  damageFormat?: DamageFormat;
  /** Lines the damage source may have (default MAX_LINES); benchmarks of millions of areas raise it. */
  maxDamageLines?: number;
  /** Virtual path the command opens (matched as the program spells it, or as the same
   *  absolute path). Default: the image itself; `debug` for a simulator.cfg. */
  as?: string;
  /** Write the statistics as JSON to this file when the command has exited. */
  stats?: string;
  /** Override the damage file's `timing sleep-scale`: really sleep virtual time x this. */
  sleepScale?: number;
  /** The command's clocks (clock_gettime, gettimeofday, time) include the virtual time its
   *  reads cost and were not really slept: a tool that times its reads sees a slow drive. */
  virtualClock?: boolean;
  /** Trace every simulated operation ("-" = the command's stderr). */
  trace?: string;
  /** Record every read (offset, length, result, virtual start and end) in this new binary
   *  file, for `simulate score` (read-record.ts). It must not exist yet. */
  record?: string;
  argv: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** "inherit" (default) or "pipe" to capture the output in the result. */
  stdio?: "inherit" | "pipe";
  stdin?: "inherit" | "ignore";
}

export interface SimulateResult {
  /** Exit code; 128+N when killed by signal N, as a shell reports it. */
  exitCode: number;
  signal: string | null;
  stats: SimStats;
  stdout: string;
  stderr: string;
}

/** The command could not be started (exit 127 when not found, 126 otherwise, as shells do). */
export class CommandStartError extends Error {
  override name = "CommandStartError";
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

export async function runSimulated(o: SimulateOptions): Promise<SimulateResult> {
  const cwd = resolve(o.cwd ?? process.cwd());
  const parsed = typeof o.damage === "string" ? loadDamage(resolve(cwd, o.damage), o.damageFormat, o.maxDamageLines) : o.damage;
  const loaded = o.sleepScale === undefined ? parsed : { ...parsed, timing: { ...parsed.timing, sleepScale: o.sleepScale } };
  const imageArg = o.image ?? loaded.safecopy?.source;
  if (!imageArg) throw new DamageError("no image: give --image (a simulator.cfg without source= has none)");
  const image = resolve(cwd, imageArg);
  let st;
  try {
    st = statSync(image, { bigint: true });
  } catch (e) {
    throw new DamageError(`cannot use image ${imageArg}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (!st.isFile() && !st.isBlockDevice()) throw new DamageError(`image ${imageArg} is not a regular file or block device`);
  const as = o.as ?? (loaded.safecopy ? "debug" : "");
  // a block device reports st_size 0: ask it (read-only open, BLKGETSIZE64)
  const size = loaded.size ?? (st.isBlockDevice() ? (probe(image).size ?? 0) : Number(st.size));
  const model = clampToDevice(loaded, size);
  const { bytes, layout } = buildState({
    model,
    size,
    image,
    imageDev: st.dev,
    imageIno: st.ino,
    asPath: as,
    asAbs: as ? resolve(cwd, as) : "",
    trace: o.trace === undefined || o.trace === "-" ? (o.trace ?? "") : resolve(cwd, o.trace),
    record: o.record ? createRecordFile(resolve(cwd, o.record), { deviceSize: size, sectorSize: model.sectorSize }) : null,
    virtualClock: o.virtualClock,
  });
  if (o.trace !== undefined && o.trace !== "-") prepareTraceFile(resolve(cwd, o.trace));
  // State file and preload library live in a fresh private directory (0700, ours alone).
  const dir = makePrivateDir("salvage-sim-");
  let preloadLib: Preload | undefined;
  try {
    preloadLib = preparePreload(dir);
    const statePath = join(dir, "state");
    writeState(statePath, bytes);
    const baseEnv = o.env ?? process.env;
    const preload = [preloadLib.path, baseEnv.LD_PRELOAD].filter(Boolean).join(":");
    const env = { ...baseEnv, LD_PRELOAD: preload, SALVAGE_SIM_STATE: statePath };
    const pipe = o.stdio === "pipe";
    const out = pipe ? "pipe" : "inherit";
    // A memfd preload goes to the child as descriptor 3 (PRELOAD_FD): the entry after stderr.
    const stdio = [o.stdin ?? "inherit", out, out, ...(preloadLib.fd === undefined ? [] : [preloadLib.fd])];
    let proc;
    try {
      proc = Bun.spawn(o.argv, { cwd, env, stdio: stdio as ["inherit" | "ignore", "pipe" | "inherit", "pipe" | "inherit", ...number[]] });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CommandStartError(`cannot run ${o.argv[0] ?? "(nothing)"}: ${code === "ENOENT" ? "command not found" : (code ?? String(e))}`, code === "ENOENT" ? 127 : 126);
    }
    const [stdout, stderr] = pipe
      ? await Promise.all([new Response(proc.stdout as ReadableStream).text(), new Response(proc.stderr as ReadableStream).text()])
      : ["", ""];
    await proc.exited;
    const stats = computeStats(model, layout, readState(statePath));
    if (o.stats) writeTextAtomically(resolve(cwd, o.stats), JSON.stringify(stats, null, 2) + "\n");
    const signo = proc.signalCode ? ((constants.signals as Record<string, number>)[proc.signalCode] ?? 0) : 0;
    return {
      exitCode: proc.exitCode ?? 128 + signo,
      signal: proc.signalCode ? String(proc.signalCode) : null,
      stats,
      stdout,
      stderr,
    };
  } finally {
    preloadLib?.release();
    rmSync(dir, { recursive: true, force: true });
  }
}
