// Shared helpers for the simulator tests: scratch directories, deterministic images
// without zero bytes, and skipping when a peer tool is missing.
import { existsSync, writeFileSync } from "node:fs";
import { afterAll } from "bun:test";
import { binary, scratchDir as diskScratch } from "../helpers/binary.ts";
import { peer } from "../helpers/needs.ts";

/** A scratch directory on disk (not tmpfs, so real O_DIRECT works too), removed after the file's tests. */
export function scratchDir(tag: string): string {
  const d = diskScratch(`sim-${tag}`);
  afterAll(d.cleanup);
  return d.path;
}

/** The compiled binary, or null (skip with `noBinary`). */
export function compiledSalvage(): string | null {
  return existsSync(binary) ? binary : null;
}
export const noBinary = existsSync(binary) ? undefined : `${binary} is missing (npm run build; npm test builds it)`;

/** Bytes 1..255 from a seeded generator: a zero byte in a rescued copy means "not recovered". */
export function noZeroBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = ((x >>> 0) % 255) + 1;
  }
  return out;
}

export function writeImage(path: string, size: number, seed = 1): Uint8Array {
  const bytes = noZeroBytes(size, seed);
  writeFileSync(path, bytes);
  return bytes;
}

/** The tool's path, or null (skip with `missing(name)` from test/helpers/needs.ts). */
export function tool(name: string): string | null {
  return peer(name);
}
