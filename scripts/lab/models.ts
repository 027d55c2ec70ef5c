// Lab damage models, in sectors (approximations of the table).
import type { LabExtent } from "./timed-source.ts";

export function rng(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
const between = (r: () => number, a: number, b: number) => a + Math.floor(r() * (b - a + 1));

import { makePattern } from "/tmp/simbench/src/sim/patterns.ts";

export function model(name: string, sectors: number, seed: number): LabExtent[] {
  if (process.env.LAB_SIM) {
    const [n, ...kv] = name.split(":");
    const params = Object.fromEntries(kv.map((x) => x.split("=")));
    return makePattern(n as never, sectors, seed, params).filter((e) => e.kind === "bad" || e.kind === "weak").map((e) => ({ first: e.first, count: e.count, kind: e.kind as "bad" | "weak", fails: e.fails }));
  }
  const r = rng(seed);
  const out: LabExtent[] = [];
  const bad = (first: number, count: number) => out.push({ first, count, kind: "bad", fails: 0 });
  const weak = (first: number, count: number, fails: number) => out.push({ first, count, kind: "weak", fails });
  const areas = (n: number, size: number) => {
    for (let i = 0; i < n; i++) bad(between(r, 0, sectors - size - 1), between(r, size * 0.8, size * 1.2));
  };
  const islands = (n: number) => {
    for (let c = 0; c < n; c++) {
      const span = between(r, 256, 2048);
      let s = between(r, 0, sectors - span - 1);
      const end = s + span;
      while (s < end) {
        const b = between(r, 1, 64);
        bad(s, Math.min(b, end - s));
        s += b + between(r, 1, 24);
      }
    }
  };
  const scattered = (density: number) => {
    for (let i = 0; i < sectors * density; i++) bad(between(r, 0, sectors - 2), between(r, 1, 2));
  };
  const scratch = () => {
    const stride = Math.max(64, Math.floor(sectors / 400));
    for (let s = between(r, 0, stride); s < sectors - 8; s += stride + between(r, -stride >> 4, stride >> 4)) bad(s, between(r, 2, 8));
  };
  const head = (period: number, band: number) => {
    const phase = between(r, 0, period);
    for (let s = phase; s < sectors; s += period) {
      const a = s + between(r, -20, 20), b = s + band + between(r, -20, 20);
      if (a >= 0 && b < sectors) bad(a, b - a);
    }
  };
  const weaks = (n: number, kmax: number) => {
    for (let i = 0; i < n; i++) weak(between(r, 0, sectors - 5), between(r, 1, 4), between(r, 1, kmax));
  };
  switch (name) {
    case "areas": areas(4, 2000); break;
    case "head": head(3200, 600); break;
    case "islands": islands(6); break;
    case "scattered": scattered(1 / 1000); break;
    case "weak": weaks(60, 2); break;
    case "mix": islands(2); scattered(1 / 5000); weaks(20, 2); break;
    case "scratch": scratch(); break;
    default: throw new Error(`unknown model ${name}`);
  }
  out.sort((a, b) => a.first - b.first);
  const kept: LabExtent[] = [];
  for (const e of out) {
    const p = kept[kept.length - 1];
    if (p && e.first < p.first + p.count) continue;
    kept.push(e);
  }
  return kept;
}
