// Fuzzing the FFS decoding path: mutate real images (random bytes in the superblock and
// cylinder-group headers, absurd counts, truncations, damaged directory blocks) and run
// superblock search, `ffs info`, the free-fragment walk and the deleted-name scan on each.
// Every run must end normally or with one FfsError line: no other exception, no hang,
// no large allocation. Usage: bun scripts/fuzz-ffs.ts [RUNS=100000] [SEED=1]
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { MemorySource } from "../src/io/memory-source.ts";
import { FfsError } from "../src/ffs/errors.ts";
import { findSuperblock, superblockOffsets } from "../src/ffs/superblock.ts";
import { summarize } from "../src/ffs/info.ts";
import { walkFree } from "../src/ffs/free-walk.ts";
import { findDeletedNames } from "../src/ffs/directories.ts";
import { cgtod } from "../src/ffs/geometry.ts";
import { rng } from "./make-ffs-fixture.ts";

export const fuzzImages = ["makefs_ufs1_le.img.gz", "makefs_ufs1_be.img.gz", "makefs_ufs2_le.img.gz", "makefs_ufs2_be.img.gz", "ffs.bin.gz", "ufs-big.img.zst"];

export interface FuzzResult {
  runs: number;
  accepted: number;
  rejected: number;
  /** Distinct first words of rejection messages, with counts. */
  messages: Map<string, number>;
  failures: string[];
  slowest: number;
  /** Which run was slowest (to reproduce it: same seed, that run number). */
  slowestRun: string;
}

const absurd = [0, 1, -1, 0x7fffffff, -0x80000000, 0xffff, 8192, 65536, 3];
// Superblock int32 fields worth abusing: sblkno..dblkno, cgoffset, cgmask, old_size, ncg, bsize,
// fsize, frag, fshift, sbsize, inopb, cssize, cgsize, ipg, fpg, maxsymlinklen, postblformat.
const sbFields = [8, 12, 16, 20, 24, 28, 36, 44, 48, 52, 56, 84, 104, 120, 156, 160, 184, 188, 1320, 1356];
// cg header fields: cgx, niblk, ndblk, iusedoff, freeoff, nextfreeoff, niblk, initediblk.
const cgFields = [12, 18, 20, 92, 96, 100, 116, 120];

export function loadImages(dir: string): Array<{ name: string; data: Uint8Array }> {
  return fuzzImages.map((name) => {
    const packed = readFileSync(join(dir, name));
    return { name, data: new Uint8Array(name.endsWith(".zst") ? Bun.zstdDecompressSync(packed) : Bun.gunzipSync(packed)) };
  });
}

export function fuzz(images: Array<{ name: string; data: Uint8Array }>, runs: number, seed: number): FuzzResult {
  const rand = rng(seed);
  const result: FuzzResult = { runs, accepted: 0, rejected: 0, messages: new Map(), failures: [], slowest: 0, slowestRun: "" };
  const geometry = images.map(({ data }) => findSuperblock(new MemorySource(data)));
  const sink = { fragments() {}, unreadable() {}, groupError() {} };
  for (let i = 0; i < runs; i++) {
    const k = rand(images.length);
    const { name, data } = images[k]!;
    const sb = geometry[k]!;
    const saved: Array<[number, number]> = [];
    const poke = (at: number, v: number) => {
      if (at >= 0 && at < data.length) {
        saved.push([at, data[at]!]);
        data[at] = v & 0xff;
      }
    };
    const poke32 = (at: number, v: number) => {
      for (let b = 0; b < 4; b++) poke(at + (sb.bigEndian ? b : 3 - b), v >>> (8 * (3 - b)));
    };
    const sbAt = sb.location;
    const cgAt = cgtod(sb, rand(sb.raw.ncg)) * sb.raw.fsize;
    let length = data.length;
    const kind = rand(6);
    if (kind === 0) for (let n = 1 + rand(8); n > 0; n--) poke(sbAt + rand(1376), rand(256));
    else if (kind === 1) for (let n = 1 + rand(8); n > 0; n--) poke(cgAt + rand(sb.raw.cgsize), rand(256));
    else if (kind === 2) poke32(sbAt + sbFields[rand(sbFields.length)]!, rand(3) ? absurd[rand(absurd.length)]! : rand(2 ** 31));
    else if (kind === 3) poke32(cgAt + cgFields[rand(cgFields.length)]!, rand(3) ? absurd[rand(absurd.length)]! : rand(2 ** 31));
    else if (kind === 4) length = rand(3) ? rand(data.length) : superblockOffsets[rand(4)]! + rand(8192);
    else for (let n = 1 + rand(32); n > 0; n--) poke(sb.raw.dblkno * sb.raw.fsize + rand(64 * 1024), rand(256)); // directory / data area
    const started = performance.now();
    try {
      const src = new MemorySource(data.subarray(0, length));
      const found = findSuperblock(src);
      summarize(src, found);
      walkFree(src, found, sink, { keepUniform: true });
      findDeletedNames(src, found);
      result.accepted++;
    } catch (e) {
      if (e instanceof FfsError && !e.message.includes("\n")) {
        result.rejected++;
        const key = e.message.replace(/\d+/g, "N").slice(0, 60);
        result.messages.set(key, (result.messages.get(key) ?? 0) + 1);
      } else result.failures.push(`run ${i} (${name}, mutation ${kind}): ${(e as Error)?.stack ?? e}`);
    }
    const took = performance.now() - started;
    if (took > result.slowest) {
      result.slowest = took;
      result.slowestRun = `run ${i} (${name}, mutation ${kind}, length ${length}, bytes ${saved.map(([at]) => `${at}=${data[at]}`).join(" ")})`;
    }
    for (let s = saved.length - 1; s >= 0; s--) data[saved[s]![0]] = saved[s]![1];
  }
  return result;
}

if (import.meta.main) {
  const runs = Number(process.argv[2] ?? 100000);
  const seed = Number(process.argv[3] ?? 1);
  const images = loadImages(resolve(import.meta.dir, "../test/fixtures/ffs"));
  const t0 = performance.now();
  const r = fuzz(images, runs, seed);
  const secs = (performance.now() - t0) / 1000;
  console.log(`${r.runs} runs in ${secs.toFixed(1)} s (seed ${seed}): ${r.accepted} decoded, ${r.rejected} rejected with one line, ${r.failures.length} failures; slowest run ${r.slowest.toFixed(1)} ms [${r.slowestRun}]; peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  for (const [m, n] of [...r.messages].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${String(n).padStart(7)}  ${m}`);
  for (const f of r.failures.slice(0, 10)) console.log(`FAIL ${f}`);
  process.exitCode = r.failures.length ? 1 : 0;
}
