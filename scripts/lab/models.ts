// Lab models: the simulator's own failure models (src/sim/patterns.ts), as extents.
import { makePattern, type PatternName } from "../../src/sim/patterns.ts";
import type { LabExtent } from "./timed-source.ts";

/** `name` is a pattern with optional parameters: "weak:k=2", "head:period=3000-3400". */
export function model(name: string, sectors: number, seed: number): LabExtent[] {
  const [n, ...kv] = name.split(":");
  const params = Object.fromEntries(kv.join(",").split(",").filter(Boolean).map((x) => x.split("=") as [string, string]));
  return makePattern(n as PatternName, sectors, seed, params)
    .filter((e) => e.kind !== "soft")
    .map((e) => ({ first: e.first, count: e.count, kind: e.kind as LabExtent["kind"], fails: e.fails, costNs: e.costNs }));
}
