// The partitioned whole-disk fixtures (test/fixtures/partitions, made by
// scripts/make-partition-fixtures.ts; provenance in its README.txt), unpacked once per process.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { usesRecording } from "../helpers/needs.ts";
import { scratchDir } from "../ffs/fixtures.ts";

export const partitionFixtureDir = resolve(import.meta.dir, "../fixtures/partitions");
/** The uncompressed disk image, as bytes (gpt-filesystems.img is zstd, the others gzip). */
export function diskBytes(name: string): Uint8Array {
  usesRecording("partitioned disk images (test/fixtures/partitions)");
  const zst = join(partitionFixtureDir, `${name}.zst`);
  if (existsSync(zst)) return new Uint8Array(Bun.zstdDecompressSync(readFileSync(zst)));
  return new Uint8Array(Bun.gunzipSync(readFileSync(join(partitionFixtureDir, `${name}.gz`))));
}

const unpacked = new Map<string, string>();
/** Path of the uncompressed image, or of `bytes` written under `name` (a damaged variant). */
export function diskPath(name: string, bytes?: Uint8Array): string {
  const key = bytes ? `${name}:${Bun.hash(bytes)}` : name;
  let p = unpacked.get(key);
  if (p) return p;
  p = join(scratchDir(), bytes ? `${Bun.hash(bytes).toString(16)}-${name}` : name);
  writeFileSync(p, bytes ?? diskBytes(name));
  unpacked.set(key, p);
  return p;
}

/** The GPT fixture with its primary header (LBA 1) zeroed: readers must use the backup. */
export function gptWithoutPrimary(): Uint8Array {
  const b = diskBytes("gpt.img");
  b.fill(0, 512, 1024);
  return b;
}
