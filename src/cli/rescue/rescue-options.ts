// Turn `salvage rescue` arguments into engine options, with one clear line per bad value.
import { humanBytes, parseSize } from "../../util/units.ts";
import { UserError } from "../exit.ts";
import type { RescueOptions } from "../../rescue/mapfile/options.ts";

export function sizeArg(name: string, text: unknown): number | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    return parseSize(String(text));
  } catch {
    throw new UserError(`--${name}: not a size: '${text}'`);
  }
}

/** Largest read size: the read buffer is this big, and 1TiB once ended in "Out of memory". */
export const MAX_CLUSTER = 64 * 1024 * 1024;
/** Counts (retries, errors, rows) stay far below anything that could overflow or hang. */
export const MAX_COUNT = 2 ** 31 - 1;
/** Durations (timeout, save interval): a year is "never" for a rescue. */
export const MAX_SECONDS = 365 * 86400;

/** A whole decimal number within [min, max] (no 1e3, 0x10 or 1.0: a count is typed as digits). */
export function intArg(name: string, text: unknown, min = 0, max = MAX_COUNT): number | undefined {
  if (text === undefined || text === "") return undefined;
  const n = /^-?\d+$/.test(String(text)) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UserError(`--${name}: expected a whole number from ${min} to ${max}: '${text}'`);
  return n;
}

/** Seconds, with an optional s/m/h/d suffix (ddrescue's interval syntax), at most a year. */
export function secondsArg(name: string, text: unknown): number | undefined {
  if (text === undefined || text === "") return undefined;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(String(text));
  if (!m) throw new UserError(`--${name}: expected seconds, optionally with s/m/h/d: '${text}'`);
  const seconds = Number(m[1]) * ({ "": 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
  if (!(seconds <= MAX_SECONDS)) throw new UserError(`--${name}: ${text} is out of range: accepted 0 to ${MAX_SECONDS / 86400}d`);
  return seconds;
}

export function engineOptions(args: Record<string, unknown>): Partial<RescueOptions> {
  const o: Partial<RescueOptions> = {
    reverse: !!args.reverse,
    sparse: !!args.sparse,
    noScrape: args.scrape === false,
    noTrim: args.trim === false,
  };
  const cluster = sizeArg("cluster", args.cluster);
  if (cluster !== undefined && (cluster === 0 || cluster > MAX_CLUSTER)) throw new UserError(`--cluster: '${args.cluster}' is out of range: accepted one sector to ${humanBytes(MAX_CLUSTER)}`);
  if (cluster !== undefined) o.cluster = cluster;
  if (args["skip-size"] !== undefined) {
    const [a, b] = String(args["skip-size"]).split(",");
    o.skipInitial = sizeArg("skip-size", a) ?? 0;
    if (b !== undefined) o.skipMax = sizeArg("skip-size", b);
    else if (o.skipInitial === 0) o.skipMax = 0;
  }
  const rate = sizeArg("min-read-rate", args["min-read-rate"]);
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
  return o;
}
