// Fuzzing the partition-table readers: mutate the table sectors of the real fixtures (MBR, EBRs,
// GPT headers and arrays, the BSD label), half of the time with the GPT CRCs made right again so
// the entry decoding is reached, sometimes with a smaller disk size than the image or as a 4Kn
// drive (4096-byte MBR sectors). Every run
// must return (never throw), with one-line notes, sane partitions and bounded reads.
// Usage: bun scripts/fuzz-partitions.ts [RUNS=100000] [SEED=1]
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readPartitionTables } from "../src/partitions/list.ts";
import { fixGptCrcs } from "../test/partitions/craft.ts";
import { rng } from "./make-ffs-fixture.ts";

export const fuzzDisks = ["mbr-extended.img.gz", "gpt.img.gz", "gpt-4k.img.gz", "bsd-in-mbr.img.gz"];

export interface PartitionFuzzResult {
  runs: number;
  /** Runs that still found a table, and the total of partitions and notes seen. */
  withTable: number;
  partitions: number;
  notes: number;
  failures: string[];
  slowest: number;
  mostRead: number;
}

export interface Disk {
  name: string;
  data: Uint8Array;
  /** Byte ranges holding table structures: where mutations go. */
  hot: Array<[number, number]>;
}

const MAGIC_BSD = [0x57, 0x45, 0x56, 0x82];

/** The first and last 64 KiB, and every sector that looks like a partition record or label. */
function hotRanges(data: Uint8Array): Array<[number, number]> {
  const hot: Array<[number, number]> = [[0, 65536], [data.length - 65536, data.length]];
  for (let s = 65536; s < data.length - 65536; s += 512) {
    const rec = data[s + 510] === 0x55 && data[s + 511] === 0xaa;
    const label = MAGIC_BSD.every((b, i) => data[s + i] === b);
    if (rec || label) hot.push([s, s + 512]);
  }
  return hot;
}

export function loadDisks(dir: string): Disk[] {
  return fuzzDisks.map((name) => {
    const data = new Uint8Array(Bun.gunzipSync(readFileSync(join(dir, name))));
    return { name, data, hot: hotRanges(data) };
  });
}

const interesting = [0, 1, 0x7f, 0x80, 0xff, 0xee, 0x05, 0x0f, 0x85, 0xa5, 0xa6, 0xa9, 0x55, 0xaa];
const hasSig = (d: Uint8Array, at: number) => at >= 0 && at + 8 <= d.length && new TextDecoder().decode(d.subarray(at, at + 8)) === "EFI PART";

export function fuzzPartitions(disks: Disk[], runs: number, seed: number): PartitionFuzzResult {
  const rand = rng(seed);
  const r: PartitionFuzzResult = { runs, withTable: 0, partitions: 0, notes: 0, failures: [], slowest: 0, mostRead: 0 };
  for (let i = 0; i < runs; i++) {
    const disk = disks[rand(disks.length)]!;
    // Mutated in place and restored after the run: copying 8 MiB per run would dominate.
    const data = disk.data;
    const saved = disk.hot.map(([a, b]) => data.slice(a, b));
    for (let n = 1 + rand(16); n > 0; n--) {
      const [a, b] = disk.hot[rand(disk.hot.length)]!;
      const at = a + rand(b - a);
      data[at] = rand(2) ? interesting[rand(interesting.length)]! : rand(256);
    }
    if (rand(2)) {
      // Headers sit in the hot ranges; their CRCs only cover bytes there (arrays in the first
      // or last 64 KiB), so the restore below undoes these writes too.
      for (const ss of [512, 4096]) {
        for (const at of [ss, data.length - ss]) if (hasSig(data, at)) fixGptCrcs(data, at, ss);
      }
    }
    const size = rand(8) === 0 ? rand(data.length) : data.length;
    const sectorSize = rand(4) === 0 ? 4096 : 512; // as a 4Kn drive would be read
    let read = 0;
    const reader = (offset: number, length: number) => {
      read += length;
      return offset >= 0 && length >= 0 && offset + length <= size ? data.subarray(offset, offset + length) : null;
    };
    const t0 = performance.now();
    try {
      const t = readPartitionTables(reader, size, sectorSize);
      if (t.table) r.withTable++;
      r.partitions += t.partitions.length;
      r.notes += t.notes.length;
      for (const n of t.notes) if (n.includes("\n") || n.length > 300) r.failures.push(`run ${i} (${disk.name}): note not one short line: ${JSON.stringify(n.slice(0, 100))}`);
      for (const p of t.partitions)
        if (!Number.isSafeInteger(p.start) || p.start < 0 || !Number.isSafeInteger(p.length) || p.length <= 0 || !Number.isInteger(p.index))
          r.failures.push(`run ${i} (${disk.name}): impossible partition ${JSON.stringify(p)}`);
    } catch (e) {
      r.failures.push(`run ${i} (${disk.name}): threw ${(e as Error).stack?.split("\n").slice(0, 2).join(" ")}`);
    }
    r.slowest = Math.max(r.slowest, performance.now() - t0);
    disk.hot.forEach(([a], k) => data.set(saved[k]!, a));
    r.mostRead = Math.max(r.mostRead, read);
  }
  return r;
}

if (import.meta.main) {
  const runs = Number(process.argv[2] ?? 100000);
  const seed = Number(process.argv[3] ?? 1);
  const r = fuzzPartitions(loadDisks(resolve(import.meta.dir, "../test/fixtures/partitions")), runs, seed);
  console.log(`${r.runs} runs: ${r.withTable} found a table, ${r.partitions} partitions, ${r.notes} notes; slowest ${r.slowest.toFixed(1)} ms, most read ${r.mostRead} bytes`);
  for (const f of r.failures.slice(0, 20)) console.log(f);
  process.exit(r.failures.length ? 1 : 0);
}
