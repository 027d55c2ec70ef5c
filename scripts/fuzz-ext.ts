// Fuzzing the ext used-space map: mutate the real fixture images (random bytes and absurd
// values in the superblock, the descriptor tables, the bitmaps and inode tables; reads that
// fail at random) and map each. Every run must end normally, with ranges inside the volume,
// or with one FsMapError line: no other exception, no hang.
// Usage: bun scripts/fuzz-ext.ts [RUNS=20000] [SEED=1]
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { extParser } from "../src/fsmap/ext/index.ts";
import { FsMapError, type ReadBytes } from "../src/fsmap/types.ts";
import { rng } from "./make-ffs-fixture.ts";

export const extFixtureDir = resolve(import.meta.dir, "../test/fixtures/fsmap/ext");

export function loadExtImages(dir = extFixtureDir): Array<{ name: string; data: Uint8Array }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".img.gz"))
    .sort()
    .map((name) => ({ name, data: Bun.gunzipSync(readFileSync(join(dir, name))) }));
}

export interface ExtFuzzResult {
  accepted: number;
  rejected: number;
  /** Rejection messages with numbers blanked, with counts. */
  messages: Map<string, number>;
  failures: string[];
  slowest: number;
}

const absurd = [0, 1, 7, 255, 256, 0xffff, 0x10000, 0x7fffffff, 0xffffffff];
// Superblock words worth abusing: counts, first data block, log sizes, per-group counts,
// revision, inode size, features, reserved GDT blocks, journal inode, desc size, first meta_bg,
// blocks count high, sparse_super2 backups.
const sbFields = [0x0, 0x4, 0x14, 0x18, 0x1c, 0x20, 0x24, 0x28, 0x4c, 0x58, 0x5c, 0x60, 0x64, 0xce, 0xe0, 0xfe, 0x104, 0x150, 0x24c, 0x250];

export function fuzzExt(images: Array<{ name: string; data: Uint8Array }>, runs: number, seed: number): ExtFuzzResult {
  const rand = rng(seed);
  const r: ExtFuzzResult = { accepted: 0, rejected: 0, messages: new Map(), failures: [], slowest: 0 };
  for (let run = 0; run < runs; run++) {
    const img = images[run % images.length]!;
    // Mutated in place and restored after the run: copying megabytes per run would dominate.
    const bytes = img.data;
    const saved: Array<[number, number]> = [];
    const poke = (at: number, value: number) => (saved.push([at, bytes[at]!]), (bytes[at] = value));
    const places = [() => 1024 + rand(1024), () => 1024 + rand(8192), () => rand(65536), () => rand(Math.min(bytes.length, 1 << 19)), () => rand(bytes.length)];
    for (let k = 0, n = 1 + rand(8); k < n; k++) poke(places[rand(places.length)]!(), rand(256));
    if (rand(4) === 0) {
      const at = 1024 + sbFields[rand(sbFields.length)]!;
      const value = absurd[rand(absurd.length)]!;
      for (let i = 0; i < 4; i++) poke(at + i, (value >>> (8 * i)) & 0xff);
    }
    // Now and then a bad spot: reads touching it fail.
    const hole = rand(3) === 0 ? { at: rand(bytes.length), len: 1 + rand(65536) } : null;
    const read: ReadBytes = (o, n) => (o < 0 || o + n > bytes.length || (hole && o < hole.at + hole.len && hole.at < o + n) ? null : bytes.subarray(o, o + n));
    const volume = { start: 0, length: bytes.length, label: "fuzzed image" };
    const t0 = performance.now();
    try {
      const map = extParser.usedSpace(read, volume);
      const bad = [map.used, map.metadata, map.unknown].flat().filter((x) => !(x.start >= 0 && x.length > 0 && x.start + x.length <= bytes.length));
      if (bad.length) r.failures.push(`run ${run} (${img.name}): range outside the volume ${JSON.stringify(bad[0])}`);
      r.accepted++;
    } catch (e) {
      if (!(e instanceof FsMapError) || e.message.includes("\n")) r.failures.push(`run ${run} (${img.name}): ${e instanceof Error ? e.stack : e}`);
      else {
        r.rejected++;
        const key = e.message.replace(/\d+/g, "N");
        r.messages.set(key, (r.messages.get(key) ?? 0) + 1);
      }
    }
    r.slowest = Math.max(r.slowest, performance.now() - t0);
    for (let i = saved.length - 1; i >= 0; i--) bytes[saved[i]![0]] = saved[i]![1];
  }
  return r;
}

if (import.meta.main) {
  const runs = Number(process.argv[2] ?? 20000);
  const seed = Number(process.argv[3] ?? 1);
  const t0 = performance.now();
  const r = fuzzExt(loadExtImages(), runs, seed);
  console.log(`${runs} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${r.accepted} mapped, ${r.rejected} refused, slowest ${r.slowest.toFixed(0)} ms`);
  for (const [m, n] of [...r.messages].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${m}`);
  for (const f of r.failures.slice(0, 10)) console.log(`FAILURE ${f}`);
  process.exitCode = r.failures.length ? 1 : 0;
}
