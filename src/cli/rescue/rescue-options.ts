// Turn `salvage rescue` arguments into engine options, with one clear line per bad value.
// Numbers and intervals are read as GNU ddrescue reads them (util/units.ts): `-c` counts
// sectors, `k M G` are powers of 1000, `Ki Mi Gi` powers of 1024, `s` means sectors, and a
// bad value's message lists the accepted forms.
import { DDRESCUE_COUNT_FORMS, DDRESCUE_NUMBER_FORMS, humanBytes, INTERVAL_FORMS, NumberSyntaxError, parseDdrescueNumber, parseInterval } from "../../util/units.ts";
import { UserError } from "../exit.ts";
import type { RescueOptions } from "../../rescue/mapfile/options.ts";

const given = (text: unknown) => text !== undefined && text !== "" && text !== true;

/** A byte count or position in ddrescue's syntax, within [min, max]. */
export function sizeArg(name: string, text: unknown, sectorSize = 512, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (!given(text)) return undefined;
  const n = number(name, String(text), sectorSize, DDRESCUE_NUMBER_FORMS);
  if (n < min || n > max) throw new UserError(`--${name}: '${text}' is out of range: accepted ${min} to ${max} bytes`);
  return n;
}

function number(name: string, text: string, sectorSize: number | null, forms: string): number {
  try {
    return parseDdrescueNumber(text, sectorSize);
  } catch (e) {
    if (e instanceof NumberSyntaxError) throw new UserError(`--${name}: not a number: '${text}'; accepted: ${forms}`);
    throw new UserError(`--${name}: '${text}' is too large: accepted at most ${Number.MAX_SAFE_INTEGER} (2^53 - 1)`);
  }
}

/** Largest read size: the read buffer is this big, and 1TiB once ended in "Out of memory". */
export const MAX_CLUSTER = 64 * 1024 * 1024;
/** Counts (retries, errors, rows) stay far below anything that could overflow or hang. */
export const MAX_COUNT = 2 ** 31 - 1;
/** Durations (timeout, save interval): a year is "never" for a rescue. */
export const MAX_SECONDS = 365 * 86400;
/** ddrescue's limit for -b. */
const MAX_SECTOR = 256 * 1024 * 1024;

/** A whole number within [min, max] (ddrescue's syntax without `s`: 128, 1k, 0x80). */
export function intArg(name: string, text: unknown, min = 0, max = MAX_COUNT): number | undefined {
  if (!given(text)) return undefined;
  let n: number;
  try {
    n = parseDdrescueNumber(String(text), null);
  } catch (e) {
    if (e instanceof NumberSyntaxError) throw new UserError(`--${name}: expected a whole number from ${min} to ${max}: '${text}'; accepted: ${DDRESCUE_COUNT_FORMS}`);
    n = Infinity;
  }
  if (n < min || n > max) throw new UserError(`--${name}: expected a whole number from ${min} to ${max}: '${text}'`);
  return n;
}

/** ddrescue's intervals (30, 90s, 1.5m, 1/2h, 2d), in seconds, at most a year; `fractions`: 0.05 too. */
export function secondsArg(name: string, text: unknown, fractions = false): number | undefined {
  if (!given(text)) return undefined;
  let seconds: number;
  try {
    seconds = parseInterval(String(text), fractions);
  } catch (e) {
    if (e instanceof NumberSyntaxError) throw new UserError(`--${name}: not an interval: '${text}'; accepted: ${INTERVAL_FORMS}`);
    seconds = Infinity;
  }
  if (!(seconds <= MAX_SECONDS)) throw new UserError(`--${name}: ${text} is out of range: accepted 0 to ${MAX_SECONDS / 86400}d`);
  return seconds;
}

/** -b: the sector size the rescue works in, or the device's own. */
export function sectorSizeArg(args: Record<string, unknown>, deviceSector: number): number {
  if (!given(args["sector-size"])) return deviceSector;
  const n = number("sector-size", String(args["sector-size"]), null, DDRESCUE_COUNT_FORMS);
  if (n < 1 || n > MAX_SECTOR) throw new UserError(`--sector-size: '${args["sector-size"]}' is out of range: accepted 1 to ${MAX_SECTOR} bytes`);
  return n;
}

/** -i, -o, -s: where the domain starts in the source, where its image goes, how long it is. */
export interface Placement {
  inputPos: number;
  /** Output position minus input position: added to every write. */
  shift: number;
  /** Largest domain size; null = to the end of the source. */
  size: number | null;
}

export function placementArgs(args: Record<string, unknown>, sectorSize: number): Placement {
  const inputPos = sizeArg("input-position", args["input-position"], sectorSize) ?? 0;
  const outputPos = sizeArg("output-position", args["output-position"], sectorSize) ?? inputPos;
  // ddrescue: -s -1 removes any size limit.
  const size = args.size === "-1" ? undefined : sizeArg("size", args.size, sectorSize);
  return { inputPos, shift: outputPos - inputPos, size: size ?? null };
}

/** --cpass: ddrescue's "1,3-5" lists of copying passes 1 to 5; "0" = no copying. */
export function copyPassesArg(text: unknown): number[] | undefined {
  if (!given(text)) return undefined;
  const s = String(text);
  if (s === "0") return [];
  const passes = new Set<number>();
  for (const part of s.split(",")) {
    const m = /^([1-5])(?:-([1-5]))?$/.exec(part);
    if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) throw new UserError(`--cpass: not a pass or range of passes: '${s}'; accepted: 0 (no copying), or passes 1 to 5 and ranges, e.g. 1, 2-4, 1,3-5`);
    for (let p = Number(m[1]); p <= Number(m[2] ?? m[1]); p++) passes.add(p);
  }
  return [...passes].sort();
}

export function engineOptions(args: Record<string, unknown>, sectorSize = 512): Partial<RescueOptions> {
  const o: Partial<RescueOptions> = {
    reverse: !!args.reverse,
    sparse: !!args.sparse,
    noScrape: args.scrape === false,
    noTrim: args.trim === false,
    reopenOnError: !!args["reopen-on-error"],
    unidirectional: !!args.unidirectional,
  };
  if (given(args.cluster) && given(args["cluster-size"])) throw new UserError("--cluster (bytes) and -c/--cluster-size (sectors) say the same thing: give one");
  const maxSectors = Math.floor(MAX_CLUSTER / sectorSize);
  if (given(args["cluster-size"])) {
    // ddrescue's -c counts sectors (128 = 64 KiB of 512-byte sectors).
    const sectors = number("cluster-size", String(args["cluster-size"]), null, DDRESCUE_COUNT_FORMS);
    if (sectors < 1 || sectors > maxSectors) throw new UserError(`--cluster-size: '${args["cluster-size"]}' is out of range: accepted 1 to ${maxSectors} sectors of ${sectorSize} bytes (${humanBytes(MAX_CLUSTER)})`);
    o.cluster = sectors * sectorSize;
  }
  const cluster = sizeArg("cluster", args.cluster, sectorSize);
  if (cluster !== undefined && (cluster === 0 || cluster > MAX_CLUSTER)) throw new UserError(`--cluster: '${args.cluster}' is out of range: accepted one sector to ${humanBytes(MAX_CLUSTER)}`);
  if (cluster !== undefined) o.cluster = cluster;
  if (args["skip-size"] !== undefined) {
    const [a, b] = String(args["skip-size"]).split(",");
    // ddrescue rounds skip sizes up to whole sectors.
    const round = (n: number) => Math.ceil(n / sectorSize) * sectorSize;
    o.skipInitial = round(sizeArg("skip-size", a, sectorSize) ?? 0);
    if (b !== undefined) o.skipMax = round(sizeArg("skip-size", b, sectorSize) ?? 0);
    else if (o.skipInitial === 0) o.skipMax = 0;
  }
  const rate = sizeArg("min-read-rate", args["min-read-rate"], sectorSize);
  if (rate !== undefined) o.minReadRate = rate;
  const timeout = secondsArg("timeout", args.timeout);
  if (timeout !== undefined) o.timeoutMs = timeout * 1000;
  const maxErrors = intArg("max-errors", args["max-errors"]);
  if (maxErrors !== undefined) o.maxErrors = maxErrors;
  if (args.retries === "auto") o.retries = "auto";
  else if (args.retries !== undefined) {
    const r = intArg("retries", args.retries, -1);
    o.retries = r ?? 0;
  }
  if (given(args["max-bad-areas"])) {
    // -e +N: only bad areas new in this run count.
    const text = String(args["max-bad-areas"]);
    o.maxBadAreasNew = text.startsWith("+");
    o.maxBadAreas = intArg("max-bad-areas", o.maxBadAreasNew ? text.slice(1) : text)!;
  }
  const errorRate = sizeArg("max-error-rate", args["max-error-rate"], sectorSize);
  if (errorRate !== undefined) o.maxErrorRate = errorRate;
  const slowReads = intArg("max-slow-reads", args["max-slow-reads"]);
  if (slowReads !== undefined) o.maxSlowReads = slowReads;
  // ddrescue waits 30 s before judging reads slow against --min-read-rate.
  const delaySlow = secondsArg("delay-slow", args["delay-slow"]) ?? (rate ? 30 : undefined);
  if (delaySlow !== undefined) o.delaySlowMs = delaySlow * 1000;
  const pause = secondsArg("pause-on-error", args["pause-on-error"]);
  if (pause !== undefined) o.pauseOnErrorMs = pause * 1000;
  const passes = copyPassesArg(args.cpass);
  if (passes !== undefined) o.copyPasses = passes;
  return o;
}
