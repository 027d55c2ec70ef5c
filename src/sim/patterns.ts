// Damage patterns for `simulate make`: the failure models (pattern-models.ts), mixes of
// them, and the patterns of earlier versions kept as they were (same seed, same disk). Each
// is a list of extents from a seeded generator; overlapping candidates are dropped, so the
// result is always a valid damage model.
import { between, rng } from "./random.ts";
import type { DamageExtent } from "./model.ts";
import { models, type Add, type Params, type Range } from "./pattern-models.ts";

/** `mixed`: the models together, each with its own defaults changed to fit beside the others. */
const mixedParts: [string, Record<string, string>][] = [
  ["areas", { count: "1" }],
  ["islands", { count: "1" }],
  ["scratch", { start: "0.4", extent: "0.2" }],
  ["scattered", { density: "0.0002" }],
  ["weak", { count: "20", k: "2" }],
  ["slow", { count: "3", ms: "5-50" }],
];

const legacy = {
  clustered: "six damaged areas of bad runs with readable islands of 0-24 sectors (the first version's islands)",
  scratched: "short bad runs at a near-regular stride of 1/400 of the disk (the first version's scratch)",
  mix: "clustered (2 areas), scattered (1 in 5000), weak (20 groups) and slow (6 areas): the demo's disk",
} as const;

export const patternNames = ["clean", ...Object.keys(models), "mixed", ...Object.keys(legacy)] as const;
export type PatternName = string;

/** One line per pattern and parameter, for --help and error messages. */
export function describePatterns(): string {
  const lines = ["clean: no damage"];
  for (const [name, m] of Object.entries(models)) {
    lines.push(`${name}: ${m.story}`);
    for (const [k, v] of Object.entries(m.params)) lines.push(`    ${k}=${v.dflt}  ${v.doc}`);
  }
  lines.push(`mixed: ${mixedParts.map(([n, p]) => `${n} (${Object.entries(p).map(([k, v]) => `${k}=${v}`).join(" ")})`).join(", ")}; parameters as MODEL.KEY=VALUE`);
  for (const [name, story] of Object.entries(legacy)) lines.push(`${name}: ${story}`);
  return lines.join("\n");
}

export class PatternError extends Error {
  override name = "PatternError";
}

/** "12", "0.5", "1-24" or "0.1-0.3". */
function parseRange(key: string, text: string): Range {
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(text);
  if (!m) throw new PatternError(`--param ${key}: '${text}' is not a number or a range LO-HI`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (hi < lo) throw new PatternError(`--param ${key}: the range ${text} is reversed`);
  return [lo, hi];
}

/** A model's parameters: its defaults, overridden by `given` (unknown keys are errors). */
function resolveParams(model: string, given: Record<string, string>): Params {
  const spec = models[model]!.params;
  for (const k of Object.keys(given))
    if (!spec[k]) throw new PatternError(`--param ${k}: pattern '${model}' has no such parameter (it has ${Object.keys(spec).join(", ")})`);
  return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, parseRange(k, given[k] ?? v.dflt)]));
}

export function makePattern(name: PatternName, sectors: number, seed: number, params: Record<string, string> = {}): DamageExtent[] {
  const r = rng(seed);
  const candidates: DamageExtent[] = [];
  const add: Add = (first, count, kind, extra = {}) => {
    if (first >= sectors || count < 1) return;
    candidates.push({ first, count: Math.min(count, sectors - first), kind, fails: 0, costNs: 0, failCostNs: 0, line: 0, ...extra });
  };
  const noParams = () => {
    const keys = Object.keys(params);
    if (keys.length) throw new PatternError(`--param ${keys[0]}: pattern '${name}' takes no parameters`);
  };
  if (models[name]) models[name].make(r, sectors, add, resolveParams(name, params));
  else if (name === "mixed") {
    for (const k of Object.keys(params))
      if (!mixedParts.some(([part]) => k.startsWith(`${part}.`))) throw new PatternError(`--param ${k}: mixed takes MODEL.KEY=VALUE, MODEL one of ${mixedParts.map((p) => p[0]).join(", ")}`);
    for (const [part, dflt] of mixedParts) {
      const own = Object.fromEntries(Object.entries(params).filter(([k]) => k.startsWith(`${part}.`)).map(([k, v]) => [k.slice(part.length + 1), v]));
      models[part]!.make(r, sectors, add, resolveParams(part, { ...dflt, ...own }));
    }
  } else if (name === "clean") noParams();
  else if (name === "clustered") (noParams(), clustered(r, sectors, add, 6));
  else if (name === "scratched") (noParams(), scratched(r, sectors, add));
  else if (name === "mix") {
    noParams();
    clustered(r, sectors, add, 2);
    const p = (model: string, given: Record<string, string>) => resolveParams(model, given);
    models.scattered!.make(r, sectors, add, p("scattered", { density: "0.0002" }));
    models.weak!.make(r, sectors, add, p("weak", { count: "20" }));
    models.slow!.make(r, sectors, add, p("slow", { count: "6" }));
  } else throw new PatternError(`--pattern is one of ${patternNames.join(", ")}`);
  return dropOverlaps(candidates);
}

/** The first version's islands: a few damaged areas; inside each, bad runs alternate with readable islands. */
function clustered(r: () => number, sectors: number, add: Add, clusters: number): void {
  for (let c = 0; c < clusters; c++) {
    const span = between(r, Math.min(256, sectors >> 4), Math.max(256, sectors >> 6));
    let s = between(r, 0, Math.max(0, sectors - span - 1));
    const end = s + span;
    while (s < end) {
      const bad = between(r, 1, 64);
      add(s, Math.min(bad, end - s), "bad");
      s += bad + between(r, 0, 24);
    }
  }
}

/** The first version's scratch: short bad runs at a near-regular stride. */
function scratched(r: () => number, sectors: number, add: Add): void {
  const stride = Math.max(64, Math.floor(sectors / 400));
  let s = between(r, 0, stride);
  while (s < sectors) {
    add(s, between(r, 2, 8), "bad");
    s += stride + between(r, -stride >> 4, stride >> 4);
  }
}

/** Sort and keep each extent only if it starts after the previous kept one ends; touching bad runs merge. */
function dropOverlaps(c: DamageExtent[]): DamageExtent[] {
  const out: DamageExtent[] = [];
  for (const e of c.sort((a, b) => a.first - b.first)) {
    const prev = out[out.length - 1];
    if (prev && prev.kind === "bad" && e.kind === "bad" && e.first === prev.first + prev.count) prev.count += e.count;
    else if (!prev || e.first >= prev.first + prev.count) out.push(e);
  }
  return out;
}
