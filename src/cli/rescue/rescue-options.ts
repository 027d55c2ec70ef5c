// Turn `salvage rescue` arguments into engine options, with one clear line per bad value.
import { parseSize } from "../../util/units.ts";
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

export function intArg(name: string, text: unknown, min = 0): number | undefined {
  if (text === undefined || text === "") return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UserError(`--${name}: expected an integer >= ${min}: '${text}'`);
  return n;
}

/** Seconds, with an optional s/m/h/d suffix (ddrescue's interval syntax). */
export function secondsArg(name: string, text: unknown): number | undefined {
  if (text === undefined || text === "") return undefined;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(String(text));
  if (!m) throw new UserError(`--${name}: expected seconds, optionally with s/m/h/d: '${text}'`);
  return Number(m[1]) * ({ "": 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
}

export function engineOptions(args: Record<string, unknown>): Partial<RescueOptions> {
  const o: Partial<RescueOptions> = {
    reverse: !!args.reverse,
    sparse: !!args.sparse,
    noScrape: args.scrape === false,
    noTrim: args.trim === false,
  };
  const cluster = sizeArg("cluster", args.cluster);
  if (cluster === 0) throw new UserError("--cluster: must be at least one sector");
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
