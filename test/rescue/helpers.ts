// Test helpers: a seeded random source image, an in-memory target, and one-call rescues.
import { MemorySource, type MemoryDamage } from "../../src/io/memory-source.ts";
import { Domain } from "../../src/rescue/mapfile/domain.ts";
import { RescueContext, type RescueHooks } from "../../src/rescue/mapfile/context.ts";
import { resolveOptions, type RescueOptions } from "../../src/rescue/mapfile/options.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { runRescue } from "../../src/rescue/mapfile/engine.ts";
import type { MapfileStatus } from "../../src/formats/mapfile.ts";

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export function randomData(size: number, seed = 1): Uint8Array {
  const r = rng(seed);
  const d = new Uint8Array(size);
  for (let i = 0; i < size; i++) d[i] = (r() * 255 + 1) | 0; // never zero, so holes are visible
  return d;
}

export class MemoryTarget {
  readonly data: Uint8Array;
  writes = 0;
  constructor(size: number) {
    this.data = new Uint8Array(size);
  }
  write(buf: Uint8Array, length: number, pos: number): void {
    this.data.set(buf.subarray(0, length), pos);
    this.writes++;
  }
}

export interface Run {
  source: MemorySource;
  target: MemoryTarget;
  map: StatusMap;
  ctx: RescueContext;
  outcome: string;
}

export async function rescue(
  data: Uint8Array,
  damage: MemoryDamage,
  opts: Partial<RescueOptions> = {},
  more: { map?: StatusMap; target?: MemoryTarget; hooks?: RescueHooks; resume?: MapfileStatus; domain?: Domain; source?: MemorySource } = {},
): Promise<Run> {
  const source = more.source ?? new MemorySource(data, damage);
  const target = more.target ?? new MemoryTarget(data.length);
  const map = more.map ?? new StatusMap(data.length);
  const domain = more.domain ?? Domain.whole(data.length);
  const ctx = new RescueContext(source, target, map, domain, resolveOptions(opts, domain.size, 512), more.hooks);
  const res = await runRescue(ctx, more.resume);
  return { source, target, map, ctx, outcome: res.outcome };
}

/** Ground truth: is the sector at pos bad in this damage description? */
export function isBad(damage: MemoryDamage, pos: number, sector = 512): boolean {
  return (damage.bad ?? []).some(([a, b]) => pos < b && pos + sector > a);
}

/** Failed reads per sector, and the worst one. */
export function attemptsPerSector(source: MemorySource, sector = 512): { failed: number; maxOnOne: number } {
  const per = new Map<number, number>();
  let failed = 0;
  for (const r of source.reads) {
    if (r.result >= 0) continue;
    failed++;
    const s = Math.floor(r.offset / sector);
    per.set(s, (per.get(s) ?? 0) + 1);
  }
  return { failed, maxOnOne: Math.max(0, ...per.values()) };
}
