// Shared helpers for the simulator tests: scratch directories, deterministic images
// without zero bytes, and skipping when a peer tool is missing.
import { existsSync, writeFileSync } from "node:fs";
import { afterAll } from "bun:test";
import { binary, scratchDir as diskScratch } from "../helpers/binary.ts";

/** A scratch directory on disk (not tmpfs, so real O_DIRECT works too), removed after the file's tests. */
export function scratchDir(tag: string): string {
  const d = diskScratch(`sim-${tag}`);
  afterAll(d.cleanup);
  return d.path;
}

/** The compiled binary, or null with the reason printed. */
export function compiledSalvage(): string | null {
  if (existsSync(binary)) return binary;
  console.warn(`skipping: ${binary} is missing (npm run build)`);
  return null;
}

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

/** The tool's path, or null with the reason printed (the test then skips). */
export function tool(name: string): string | null {
  const p = Bun.which(name) ?? (Bun.which(name, { PATH: "/usr/sbin:/sbin:/usr/bin:/bin" }) || null);
  if (!p) console.warn(`skipping: ${name} is not installed`);
  return p;
}
