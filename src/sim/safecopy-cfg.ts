// safecopy's simulator.cfg (upstream simulator/src/simulatorlb.c), so the recorded
// safecopy-golden s* scenarios replay unchanged. Keys are `key=value` lines:
// blocksize, filesize, source, softfailcount, delay (µs per sector), seekdelay (µs per
// 1000 sectors of travel), slow=<sector> <k> (delay x 2^k), softfail=<sector> <goodk> <failk>,
// hardfail=<sector> <failk>, verbose. Upstream ignores unknown keys; so do we.
import { dirname, resolve } from "node:path";
import { escapeText } from "../util/escape.ts";
import { DamageError, MAX_COST_NS, noTiming, type DamageExtent, type DamageModel } from "./model.ts";

const cfgKeys = ["verbose", "blocksize", "filesize", "source", "softfailcount", "seekdelay", "delay", "slow", "softfail", "hardfail"];

/** True when the text looks like a simulator.cfg (a known key followed by '='). */
export function looksLikeSafecopyCfg(text: string): boolean {
  return text.split("\n").some((l) => cfgKeys.includes(l.split("=")[0]!.trim()) && l.includes("="));
}

interface SectorDamage {
  kind: "bad" | "soft" | "slow";
  k: number;
  k2: number;
  line: number;
}

const rank = { bad: 3, soft: 2, slow: 1 } as const;

export function parseSafecopyCfg(text: string, file: string): DamageModel {
  let blocksize = 1024;
  let filesize = 10240;
  let source: string | null = null;
  let softFailCount = 0;
  let delayUs = 0;
  let seekUs = 0;
  const sectors = new Map<number, SectorDamage>();
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const eq = raw.indexOf("=");
    if (eq < 0) return;
    const key = raw.slice(0, eq);
    const value = raw.slice(eq + 1).trim();
    const nums = () => {
      const parts = value.split(/\s+/).map(Number);
      if (!value || parts.some((n) => !Number.isSafeInteger(n) || n < 0)) throw new DamageError(`${file}:${line}: '${key}' needs unsigned numbers: '${escapeText(raw.trim(), 80)}'`);
      return parts;
    };
    const put = (d: Omit<SectorDamage, "line">, sector: number) => {
      // delay × 2^k must stay a number of nanoseconds the state file can hold.
      const k = Math.max(d.k, d.k2);
      if (k > 62) throw new DamageError(`${file}:${line}: '${key}': exponent ${k} is too large (delay × 2^k; at most 62): '${escapeText(raw.trim(), 80)}'`);
      const old = sectors.get(sector);
      if (!old || rank[d.kind] > rank[old.kind]) sectors.set(sector, { ...d, line }); // upstream checks hard, then soft, then slow
    };
    switch (key) {
      case "blocksize": blocksize = nums()[0]!; break;
      case "filesize": filesize = nums()[0]!; break;
      case "source": source = value.split(/\s+/)[0] || null; break;
      case "softfailcount": softFailCount = nums()[0]!; break;
      case "delay": delayUs = nums()[0]!; break;
      case "seekdelay": seekUs = nums()[0]!; break;
      case "slow": { const [s, k = 0] = nums(); put({ kind: "slow", k, k2: 0 }, s!); break; }
      case "softfail": { const [s, good = 0, failk = 0] = nums(); put({ kind: "soft", k: good, k2: failk }, s!); break; }
      case "hardfail": { const [s, failk = 0] = nums(); put({ kind: "bad", k: failk, k2: 0 }, s!); break; }
      default: break;
    }
  });
  if (blocksize < 1) throw new DamageError(`${file}: blocksize must be at least 1`);
  const delayNs = delayUs * 1000;
  let maxK = 0;
  for (const d of sectors.values()) maxK = Math.max(maxK, d.k, d.k2);
  if (delayNs * 2 ** maxK > MAX_COST_NS || seekUs * 1000 > MAX_COST_NS)
    throw new DamageError(`${file}: delay ${delayUs}µs × 2^${maxK} (or seekdelay ${seekUs}µs) is longer than the simulator can count`);
  const extents: DamageExtent[] = [];
  for (const s of [...sectors.keys()].sort((a, b) => a - b)) {
    const d = sectors.get(s)!;
    // upstream: a sector costs delay x 2^k instead of the base delay; a failed read costs
    // delay x 2^failk in all (cost is charged on every attempt, failCost on top when it fails)
    const costNs = d.kind === "bad" ? 0 : delayNs * (2 ** d.k - 1);
    const failNs = d.kind === "bad" ? delayNs * 2 ** d.k : d.kind === "soft" ? delayNs * 2 ** d.k2 : 0;
    const e: DamageExtent = { first: s, count: 1, kind: d.kind, fails: 0, costNs, failCostNs: Math.max(0, failNs - costNs), line: d.line };
    const prev = extents[extents.length - 1];
    const same = prev && prev.first + prev.count === s && prev.kind === e.kind && prev.costNs === e.costNs && prev.failCostNs === e.failCostNs;
    if (same) prev.count++;
    else extents.push(e);
  }
  return {
    sectorSize: blocksize,
    size: filesize,
    onError: "short",
    device: "file",
    blksize: null,
    timing: { ...noTiming, sectorNs: delayNs, travelNs: seekUs * 1000 },
    extents,
    safecopy: { softFailCount, source: source === null ? null : resolve(dirname(file), source) },
  };
}
