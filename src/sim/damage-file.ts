// salvage's own damage file format (docs/damage-format.md): one statement per line,
// `#` starts a comment. Every error names the file and line.
import { escapeText } from "../util/escape.ts";
import { oneLine } from "../util/one-line.ts";
import { parseSize } from "../util/units.ts";
import { parseDuration, formatDuration } from "./duration.ts";
import { checkExtents, DamageError, emptyModel, MAX_COST_NS, type DamageExtent, type DamageModel, type Timing } from "./model.ts";

export const timingKeys: Record<string, keyof Timing> = {
  read: "readNs",
  byte: "bytePs",
  sector: "sectorNs",
  fail: "failNs",
  seek: "seekNs",
  travel: "travelNs",
};

export function parseDamageFile(text: string, file: string): DamageModel {
  const model = emptyModel();
  const extents: DamageExtent[] = [];
  let sawExtent = false;
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const words = raw.replace(/#.*/, "").trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return;
    const fail = (why: string): never => {
      // Quote the line unless the reason already does (a one-word line is the statement itself);
      // escaped and cut short: the file may be binary garbage or one 100 MB line.
      const shown = escapeText(raw.trim(), 80);
      const quoted = why.includes(`'${shown}'`) ? "" : `: '${shown}'`;
      throw new DamageError(`${file}:${line}: ${why}${quoted}`);
    };
    const want = (n: number) => words.length !== n && fail(`expected ${n - 1} value${n === 2 ? "" : "s"} after '${words[0]}'`);
    const [key, a, b] = words as [string, string | undefined, string | undefined];
    switch (key) {
      case "salvage-damage":
        if (a !== "1") fail("unsupported format version");
        break;
      case "sector-size": {
        want(2);
        if (sawExtent) fail("sector-size must come before the first range");
        const n = Number(a);
        if (!Number.isInteger(n) || n < 1 || n > 1 << 20) fail("sector size must be an integer from 1 to 1048576");
        model.sectorSize = n;
        break;
      }
      case "size":
        want(2);
        model.size = sizeOr(a!, fail);
        break;
      case "blksize":
        want(2);
        model.blksize = sizeOr(a!, fail);
        break;
      case "on-error":
        want(2);
        if (a !== "short" && a !== "fail") fail("on-error is 'short' or 'fail'");
        model.onError = a as "short" | "fail";
        break;
      case "device":
        want(2);
        if (a !== "file" && a !== "block") fail("device is 'file' or 'block'");
        model.device = a as "file" | "block";
        break;
      case "timing": {
        want(3);
        if (a === "sleep-scale") {
          const s = Number(b);
          if (!Number.isFinite(s) || s < 0) fail("sleep-scale is a number >= 0");
          model.timing.sleepScale = s;
          break;
        }
        const field = timingKeys[a!] ?? fail(`unknown timing '${escapeText(a!, 40)}' (read, byte, sector, fail, seek, travel, sleep-scale)`);
        const ns = duration(b!, fail);
        model.timing[field] = field === "bytePs" ? Math.round(ns * 1000) : Math.round(ns);
        break;
      }
      case "bad":
      case "weak":
      case "slow": {
        sawExtent = true;
        const [first, count] = parseRange(a ?? fail("missing sector range"), fail);
        const e: DamageExtent = { first, count, kind: key, fails: 0, costNs: 0, failCostNs: 0, line };
        if (key === "bad") want(2);
        if (key === "weak") {
          want(3);
          const n = Number(b);
          if (!Number.isInteger(n) || n < 0 || n > 1_000_000) fail("weak needs the number of failing attempts");
          e.fails = n;
        }
        if (key === "slow") {
          want(3);
          e.costNs = Math.round(duration(b!, fail, "slow needs a duration per sector (example: 40ms)"));
        }
        extents.push(e);
        break;
      }
      default:
        fail(`unknown statement '${escapeText(key, 40)}'`);
    }
  });
  model.extents = checkExtents(file, extents);
  return model;
}

/** A duration in ns, no longer than the state file's 64-bit counters can add up. */
function duration(text: string, fail: (why: string) => never, what = "not a duration (examples: 8ms, 0.05ms, 2s, 150us, 6.7ns)"): number {
  const ns = parseDuration(text) ?? fail(what);
  if (ns > MAX_COST_NS) fail(`duration too long (at most ${Math.floor(MAX_COST_NS / 1e9)}s)`);
  return ns;
}

function sizeOr(text: string, fail: (why: string) => never): number {
  try {
    return parseSize(text);
  } catch {
    return fail("not a size (examples: 512, 64MiB)");
  }
}

/** `N`, `A-B` (inclusive) or `A+COUNT`, in sectors. */
function parseRange(text: string, fail: (why: string) => never): [number, number] {
  const m = /^(\d+)(?:([-+])(\d+))?$/.exec(text);
  if (!m) return fail("a sector range is N, A-B or A+COUNT");
  const first = Number(m[1]);
  const count = !m[2] ? 1 : m[2] === "+" ? Number(m[3]) : Number(m[3]) - first + 1;
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(count) || count < 1) fail("empty or reversed sector range");
  return [first, count];
}

/** Render a model as a damage file (used by `simulate make` and `from-timing`). */
export function formatDamageFile(m: DamageModel, comment: string[] = []): string {
  const out = [...comment.map((c) => `# ${oneLine(c)}`), "salvage-damage 1", `sector-size ${m.sectorSize}`];
  if (m.size !== null) out.push(`size ${m.size}`);
  if (m.blksize !== null) out.push(`blksize ${m.blksize}`);
  out.push(`on-error ${m.onError}`, `device ${m.device}`);
  for (const [name, field] of Object.entries(timingKeys)) {
    const v = m.timing[field];
    out.push(`timing ${name} ${formatDuration(field === "bytePs" ? v / 1000 : v)}`);
  }
  if (m.timing.sleepScale) out.push(`timing sleep-scale ${m.timing.sleepScale}`);
  for (const e of m.extents) {
    if (e.kind === "soft") throw new RangeError("soft extents exist only in safecopy simulator.cfg files");
    const range = e.count === 1 ? `${e.first}` : `${e.first}-${e.first + e.count - 1}`;
    const extra = e.kind === "weak" ? ` ${e.fails}` : e.kind === "slow" ? ` ${formatDuration(e.costNs)}` : "";
    out.push(`${e.kind} ${range}${extra}`);
  }
  return out.join("\n") + "\n";
}
