// Fuzzing the FAT, exFAT and NTFS used-space parsers: mutate the fixture images where their
// metadata is (boot sectors, FATs, MFT records, run lists, root directories, bitmaps), sometimes
// with absurd 32-bit values, sometimes making sectors unreadable, and run detection and
// usedSpace on each. Every run must end with a well-formed map (sorted, merged, inside the
// volume) or one FsMapError line: no other exception, no hang.
//   bun scripts/fuzz-fsmap.ts [RUNS=20000] [SEED=1]
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { filesystemParsers } from "../src/fsmap/registry.ts";
import { FsMapError, type ByteRange, type ReadBytes, type UsedSpace, type Volume } from "../src/fsmap/types.ts";
import { bootChecksum } from "../src/fsmap/exfat/boot.ts";
import { rng } from "./make-ffs-fixture.ts";

export const fuzzImages = ["fat/fat12", "fat/fat16", "fat/fat16-s4096", "fat/fat32", "exfat/exfat", "exfat/exfat-c512", "ntfs/ntfs", "ntfs/ntfs-c512"];

export interface FsFuzzResult {
  accepted: number;
  rejected: number;
  /** Rejection messages with the numbers taken out, with counts. */
  messages: Map<string, number>;
  failures: string[];
  slowest: number;
}

export function loadFsImages(dir: string): Array<{ name: string; data: Uint8Array }> {
  return fuzzImages.map((name) => ({ name, data: new Uint8Array(Bun.gunzipSync(readFileSync(join(dir, `${name}.img.gz`)))) }));
}

const absurd = [0, 1, 2, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0x0ffffff7, 0x0ffffff8, 0x10000];

/** Problems with a map that parsed: unsorted, overlapping or outside the volume. */
function malformed(map: UsedSpace, volume: Volume): string | null {
  for (const [name, ranges] of [["metadata", map.metadata], ["used", map.used], ["unknown", map.unknown]] as const) {
    let end = -1;
    for (const r of ranges) {
      if (!(r.length > 0) || !Number.isSafeInteger(r.start) || !Number.isSafeInteger(r.length)) return `${name}: bad range ${JSON.stringify(r)}`;
      if (r.start <= end) return `${name}: not sorted and merged at ${r.start}`;
      if (r.start < volume.start || r.start + r.length > volume.start + volume.length) return `${name}: ${r.start}+${r.length} outside the volume`;
      end = r.start + r.length;
    }
  }
  return null;
}

/** Patches sector 11 (the checksum sector) to match the patched sectors 0..10. */
function resign(data: Uint8Array, patches: Map<number, number>): void {
  const region = data.slice(0, 12 * 512);
  for (const [at, v] of patches) if (at < region.length) region[at] = v;
  const sum = bootChecksum(region, 512);
  for (let o = 11 * 512; o < 12 * 512; o++) patches.set(o, (sum >>> (8 * (o % 4))) & 0xff);
}

export function fuzzFsmap(images: Array<{ name: string; data: Uint8Array }>, runs: number, seed: number): FsFuzzResult {
  const rand = rng(seed);
  const result: FsFuzzResult = { accepted: 0, rejected: 0, messages: new Map(), failures: [], slowest: 0 };
  // Where to aim: each image's clean metadata (plus its first 64 KiB), and on NTFS each of
  // the MFT records the parser reads (0, 1, 2, 6, 7), which random spots in a large MFT miss.
  const targets = images.map(({ data }) => {
    const read: ReadBytes = (o, l) => (o + l <= data.length ? data.subarray(o, o + l) : null);
    const volume = { start: 0, length: data.length, label: "whole disk" };
    const map = filesystemParsers.find((p) => p.detect(read, volume))!.usedSpace(read, volume);
    const records: ByteRange[] = [];
    if (map.filesystem === "ntfs") {
      const mft = (data[0x30]! | (data[0x31]! << 8)) * map.unit;
      for (const n of [0, 1, 2, 6, 7]) records.push({ start: mft + n * 1024, length: 1024 }, { start: mft + n * 1024, length: 512 });
    }
    return [{ start: 0, length: 65536 }, ...map.metadata, ...records];
  });
  for (let i = 0; i < runs; i++) {
    const k = rand(images.length);
    const { name, data } = images[k]!;
    const ranges = targets[k]!;
    const patches = new Map<number, number>();
    const unreadable: ByteRange[] = [];
    const spot = () => {
      const r = ranges[rand(ranges.length)]!;
      return r.start + rand(Math.min(r.length, 1 << 20));
    };
    const kind = rand(4);
    if (kind === 0) for (let n = 1 + rand(8); n > 0; n--) patches.set(spot(), rand(256));
    else if (kind === 1) {
      const at = rand(2) ? rand(128) : spot() & ~3;
      const v = rand(2) ? absurd[rand(absurd.length)]! : rand(2 ** 31);
      for (let b = 0; b < 4; b++) patches.set(at + b, (v >>> (8 * b)) & 0xff);
    } else if (kind === 2) for (let n = 1 + rand(3); n > 0; n--) unreadable.push({ start: spot() & ~511, length: 512 * (1 + rand(16)) });
    else for (let n = 1 + rand(32); n > 0; n--) patches.set(spot(), rand(256));
    // exFAT checks its boot region with a checksum; most runs re-sign it, so the mutated
    // fields reach the geometry checks instead of all stopping there.
    if (name.includes("exfat") && rand(4) !== 0) resign(data, patches);
    const read: ReadBytes = (offset, length) => {
      if (offset < 0 || length < 0 || offset + length > data.length) return null;
      if (unreadable.some((r) => offset < r.start + r.length && r.start < offset + length)) return null;
      let out = data.subarray(offset, offset + length);
      for (const [at, v] of patches) {
        if (at < offset || at >= offset + length) continue;
        if (out.buffer === data.buffer) out = out.slice();
        out[at - offset] = v;
      }
      return out;
    };
    const volume = { start: 0, length: data.length, label: "whole disk" };
    const started = performance.now();
    try {
      const parsers = filesystemParsers.filter((p) => p.detect(read, volume));
      if (parsers.length > 1) throw new Error(`${parsers.length} parsers detect it`);
      if (parsers.length === 0) {
        result.rejected++;
        result.messages.set("not detected", (result.messages.get("not detected") ?? 0) + 1);
      } else {
        const map = parsers[0]!.usedSpace(read, volume);
        const bad = malformed(map, volume);
        if (bad) throw new Error(bad);
        result.accepted++;
      }
    } catch (e) {
      if (e instanceof FsMapError && !e.message.includes("\n") && e.message.length < 300) {
        result.rejected++;
        const key = e.message.replace(/\d+/g, "N");
        result.messages.set(key, (result.messages.get(key) ?? 0) + 1);
      } else result.failures.push(`run ${i} (${name}, seed ${seed}): ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
    result.slowest = Math.max(result.slowest, performance.now() - started);
  }
  return result;
}

if (import.meta.main) {
  const runs = Number(process.argv[2] ?? 20000);
  const seed = Number(process.argv[3] ?? 1);
  const r = fuzzFsmap(loadFsImages(resolve(import.meta.dir, "../test/fixtures/fsmap")), runs, seed);
  console.log(`${runs} runs: ${r.accepted} accepted, ${r.rejected} rejected, slowest ${r.slowest.toFixed(1)} ms`);
  for (const [m, n] of [...r.messages].sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${m}`);
  for (const f of r.failures.slice(0, 20)) console.log(`FAIL ${f}`);
  process.exit(r.failures.length ? 1 : 0);
}
