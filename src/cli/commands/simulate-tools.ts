// The tools around the simulator: `simulate make`, `simulate score`, `simulate from-timing`.
import { readFileSync, statfsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { BadblockReader } from "../../formats/badblocks.ts";
import { parseTiming } from "../../formats/timing.ts";
import { writeTextAtomically } from "../../util/atomic-file.ts";
import { parseOptions } from "../../sim/cli-options.ts";
import { formatDamageFile, timingKeys } from "../../sim/damage-file.ts";
import { parseDuration } from "../../sim/duration.ts";
import { modelFromTiming } from "../../sim/from-timing.ts";
import { loadDamage } from "../../sim/load-damage.ts";
import { makeDisk } from "../../sim/make.ts";
import { damagedSectors, type Timing } from "../../sim/model.ts";
import { describePatterns, PatternError, patternNames } from "../../sim/patterns.ts";
import { formatScore, scoreFiles } from "../../sim/score.ts";
import { isRecordFile } from "../../sim/read-record.ts";
import { curveMain } from "./simulate-curve.ts";
import { curveUsage, fromTimingUsage, makeUsage, scoreUsage } from "./simulate-usage.ts";
import { humanBytes, parseSize } from "../../util/units.ts";
import { ExitCode, UserError } from "../exit.ts";
import { guardOutputs } from "../write-guard.ts";

function size(text: string | undefined, what: string, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new UserError(`${what} is required`);
    return fallback;
  }
  try {
    return parseSize(text);
  } catch {
    throw new UserError(`${what}: not a size: '${text}'`);
  }
}

/** Free space for an unprivileged writer on the filesystem a new file would go to, or null if unknown. */
function freeBytes(path: string): number | null {
  try {
    const st = statfsSync(dirname(resolve(path)));
    return st.bavail * st.bsize;
  } catch {
    return null;
  }
}

function positionals(rest: string[], names: string[], usage: string): string[] {
  if (rest.length !== names.length) throw new UserError(`expected ${names.join(" ")}: ${usage}`);
  return rest;
}


/** "k=2,count=10" -> { k: "2", count: "10" }. */
function keyValues(text: string | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of text ? text.split(",") : []) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UserError(`${what}: '${item}' is not KEY=VALUE`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function timingOverrides(text: string | undefined): Partial<Timing> {
  const out: Partial<Timing> = {};
  for (const [k, v] of Object.entries(keyValues(text, "--timing"))) {
    const field = timingKeys[k];
    if (!field) throw new UserError(`--timing: unknown '${k}' (${Object.keys(timingKeys).join(", ")})`);
    const ns = parseDuration(v);
    if (ns === null) throw new UserError(`--timing ${k}: not a duration: '${v}' (examples: 0.2s, 8ms)`);
    out[field] = field === "bytePs" ? Math.round(ns * 1000) : Math.round(ns);
  }
  return out;
}

/** `simulate patterns`: every pattern, its physical story and its parameters. */
export async function patternsMain(argv: string[]): Promise<number> {
  positionals(parseOptions(argv, {}).rest, [], "salvage simulate patterns");
  process.stdout.write(`${makeUsage}\n\nPatterns and their parameters (--param KEY=VALUE; a range LO-HI is drawn anew for every item):\n${describePatterns()}\n`);
  return ExitCode.ok;
}

export async function makeMain(argv: string[]): Promise<number> {
  const spec = { size: "string", pattern: "string", seed: "string", "sector-size": "string", damage: "string", param: "list", "on-error": "string", timing: "list", sparse: "boolean" } as const;
  const { options, flags, rest } = parseOptions(argv, spec);
  const [image] = positionals(rest, ["IMAGE"], makeUsage);
  const pattern = options.pattern ?? "mix";
  if (!patternNames.includes(pattern)) throw new UserError(`--pattern is one of ${patternNames.join(", ")} (salvage simulate patterns)`);
  const seed = Number(options.seed ?? 1);
  if (!Number.isSafeInteger(seed)) throw new UserError(`--seed must be an integer`);
  const onError = options["on-error"];
  if (onError !== undefined && onError !== "short" && onError !== "fail") throw new UserError("--on-error is 'short' (a read stops before the bad sector) or 'fail' (the whole read fails)");
  const sectorSize = size(options["sector-size"], "--sector-size", 512);
  const bytes = size(options.size, "--size");
  if (bytes < sectorSize) throw new UserError(`--size: a disk needs at least one sector (${sectorSize} bytes)`);
  // Every byte of the image is written: a typo (1PiB for 1MiB) must not fill the disk.
  const free = freeBytes(image!);
  if (free !== null && bytes > free) throw new UserError(`--size: ${humanBytes(bytes)} is more than the free space (${humanBytes(free)}) where '${image}' would be written`);
  const damage = options.damage ?? `${image}.damage`;
  // Both are replaced by rename: never a device node (as root, /dev/null would become a file).
  guardOutputs([], [{ role: "image", path: image! }, { role: "damage file", path: damage }], { outputs: "file" });
  let model;
  try {
    model = makeDisk({
      image: image!,
      damage,
      size: bytes,
      pattern,
      seed,
      sectorSize,
      params: keyValues(options.param, "--param"),
      onError,
      timing: timingOverrides(options.timing),
      sparse: flags.has("sparse"),
      // the options, not the image's name: the same options make the same damage file
      command: `salvage simulate make ${argv.filter((a) => a !== image).map((a) => (/^[\w.,=:/+-]+$/.test(a) ? a : JSON.stringify(a))).join(" ")}`,
    });
  } catch (e) {
    if (e instanceof RangeError || e instanceof PatternError) throw new UserError(e.message);
    throw e;
  }
  const d = damagedSectors(model);
  process.stderr.write(
    `${image}: ${humanBytes(bytes)}, ${pattern} (seed ${seed}): ${d.bad} bad, ${d.weak} weak, ${d.slow} slow sectors of ${sectorSize} bytes -> ${damage}\n`,
  );
  return ExitCode.ok;
}

export async function scoreMain(argv: string[]): Promise<number> {
  // time to data when read records (simulate --record) are given, or anything but three files
  const all = parseOptions(argv, { marker: "string", json: "boolean", labels: "string", budget: "string", domain: "string", svg: "string", png: "string", points: "boolean" }).rest;
  if (all.length !== 3 || all.some(isRecordFile)) return curveMain(argv);
  const usage = `${scoreUsage}\n   or: ${curveUsage}`;
  const { options, flags, rest } = parseOptions(argv, { marker: "string", json: "boolean" });
  const [image, damage, rescued] = positionals(rest, ["IMAGE", "DAMAGE", "RESCUED"], usage);
  const model = loadDamage(damage!);
  let s;
  try {
    s = scoreFiles(image!, rescued!, model, options.marker);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code && err.path) throw new UserError(`cannot read ${err.path}: ${err.code}`);
    throw e;
  }
  const wrong = s.classes.good.wrong + s.classes.weak.wrong + s.classes.bad.wrong;
  if (flags.has("json")) process.stdout.write(JSON.stringify({ ...s, wrong }) + "\n");
  else process.stdout.write(formatScore(s));
  return wrong > 0 ? ExitCode.incomplete : ExitCode.ok;
}

export async function fromTimingMain(argv: string[]): Promise<number> {
  const usage = fromTimingUsage;
  const { options, rest } = parseOptions(argv, { "block-size": "string", size: "string", "slow-factor": "string", output: "string" }, { aliases: { o: "output", b: "block-size" } });
  const [timingFile, badblocksFile] = positionals(rest, ["TIMING", "BADBLOCKS"], usage);
  if (options.output) guardOutputs([{ role: "timing file", path: timingFile! }, { role: "bad-block list", path: badblocksFile! }], [{ role: "output", path: options.output }], { outputs: "file" });
  const read = (p: string) => {
    try {
      return readFileSync(p, "utf8");
    } catch (e) {
      throw new UserError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  };
  const records = parseTiming(read(timingFile!));
  const reader = new BadblockReader(read(badblocksFile!));
  const bad: number[] = [];
  for (let b = reader.next(); b !== null; b = reader.next()) bad.push(b);
  const slowFactor = Number(options["slow-factor"] ?? 10);
  if (!(slowFactor > 1)) throw new UserError("--slow-factor must be a number above 1");
  const model = modelFromTiming(records, bad, {
    blockSize: size(options["block-size"], "--block-size (the -b of the recorded run)"),
    size: options.size === undefined ? undefined : size(options.size, "--size"),
    slowFactor,
  });
  const text = formatDamageFile(model, [`from ${timingFile} (${records.length} reads) and ${badblocksFile} (${bad.length} bad blocks)`]);
  if (options.output) writeTextAtomically(options.output, text);
  else process.stdout.write(text);
  return ExitCode.ok;
}
