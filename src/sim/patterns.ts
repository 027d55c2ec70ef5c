// Damage patterns for `simulate make`. Each is a list of extents from a seeded generator;
// overlapping candidates are dropped, so the result is always a valid damage model.
import { between, rng } from "./random.ts";
import type { DamageExtent, ExtentKind } from "./model.ts";

export const patternNames = ["clean", "scattered", "clustered", "scratched", "weak", "slow", "mix"] as const;
export type PatternName = (typeof patternNames)[number];

type Add = (first: number, count: number, kind: ExtentKind, extra?: Partial<DamageExtent>) => void;

/** Isolated bad sectors all over the disk (a disk with many independent defects). */
function scattered(r: () => number, sectors: number, add: Add, density = 1 / 1000): void {
  const n = Math.max(1, Math.round(sectors * density));
  for (let i = 0; i < n; i++) add(between(r, 0, sectors - 1), between(r, 1, 2), "bad");
}

/** A few damaged areas; inside each, bad runs alternate with readable islands. */
function clustered(r: () => number, sectors: number, add: Add, clusters = 6): void {
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

/** A scratch across the platter: short bad runs at a near-regular stride (once per track). */
function scratched(r: () => number, sectors: number, add: Add): void {
  const stride = Math.max(64, Math.floor(sectors / 400));
  let s = between(r, 0, stride);
  while (s < sectors) {
    add(s, between(r, 2, 8), "bad");
    s += stride + between(r, -stride >> 4, stride >> 4);
  }
}

/** Sectors that fail a few times, then read (retries pay off). */
function weak(r: () => number, sectors: number, add: Add, groups = 60): void {
  for (let i = 0; i < groups; i++) add(between(r, 0, sectors - 1), between(r, 1, 4), "weak", { fails: between(r, 1, 4) });
}

/** Areas that read, slowly (a drive struggling with marginal sectors). */
function slow(r: () => number, sectors: number, add: Add, areas = 16): void {
  for (let i = 0; i < areas; i++) add(between(r, 0, sectors - 1), between(r, 16, 256), "slow", { costNs: between(r, 20, 200) * 1e6 });
}

export function makePattern(name: PatternName, sectors: number, seed: number): DamageExtent[] {
  const r = rng(seed);
  const candidates: DamageExtent[] = [];
  const add: Add = (first, count, kind, extra = {}) => {
    if (first >= sectors) return;
    candidates.push({ first, count: Math.min(count, sectors - first), kind, fails: 0, costNs: 0, failCostNs: 0, line: 0, ...extra });
  };
  switch (name) {
    case "clean": break;
    case "scattered": scattered(r, sectors, add); break;
    case "clustered": clustered(r, sectors, add); break;
    case "scratched": scratched(r, sectors, add); break;
    case "weak": weak(r, sectors, add); break;
    case "slow": slow(r, sectors, add); break;
    case "mix":
      clustered(r, sectors, add, 2);
      scattered(r, sectors, add, 1 / 5000);
      weak(r, sectors, add, 20);
      slow(r, sectors, add, 6);
      break;
  }
  return dropOverlaps(candidates);
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
