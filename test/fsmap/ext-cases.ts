// What e2fsprogs and The Sleuth Kit say about the ext fixtures (test/fixtures/fsmap/ext, made by
// scripts/make-ext-fixtures.ts), shared by the differential test and scripts/record-oracles.ts:
//  - "dumpe2fs NAME": the used blocks, as the complement of the per-group "Free blocks:" lists
//    within [0, Block count), written as ranges "0-1489,2049-3330";
//  - "blkls NAME": the blocks `blkls -e -l` flags allocated ("N|a"), as ranges: a second
//    witness, for the variants TSK models: it does not know bigalloc, and takes a BLOCK_UNINIT
//    group as wholly free, missing the superblock and descriptor backups inside it (806 blocks
//    in ext4-metabg, 257 in ext4-uninit-bg; sleuthkit 4.11.1).
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Recipe } from "../helpers/oracle.ts";
import { usesRecording } from "../helpers/needs.ts";
import { extVariants } from "../../scripts/make-ext-fixtures.ts";
import { scratchDir } from "../ffs/fixtures.ts";
import { toRanges } from "../ffs/tsk-cases.ts";

export const extFixtureDir = resolve(import.meta.dir, "../fixtures/fsmap/ext");
export const extNames = extVariants.map((v) => v.name);
/** Variants TSK reads as the kernel does (see the note above). */
export const tskWitnessed = ["ext2-1k", "ext2-nosparse", "ext3-2k", "ext4-32bit", "ext4-64bit", "ext4-sparse2", "ext3-1k-default", "ext4-resized"];

const unpacked = new Map<string, string>();
/** Path of the uncompressed image NAME (unpacked once per process). */
export function extImagePath(name: string): string {
  usesRecording("ext fixture images (test/fixtures/fsmap/ext)");
  let p = unpacked.get(name);
  if (!p) {
    p = join(scratchDir(), `${name}.img`);
    writeFileSync(p, Bun.gunzipSync(readFileSync(join(extFixtureDir, `${name}.img.gz`))));
    unpacked.set(name, p);
  }
  return p;
}

/** A ReadBytes over an in-memory image: null past its end. */
export function imageReader(bytes: Uint8Array) {
  return (offset: number, length: number) => (offset >= 0 && offset + length <= bytes.length ? bytes.subarray(offset, offset + length) : null);
}

/** "a-b,c" for the blocks of [0, count) not in `free`. */
export function complement(free: Set<number>, count: number): string {
  const used: number[] = [];
  for (let b = 0; b < count; b++) if (!free.has(b)) used.push(b);
  return toRanges(used);
}

/**
 * Used blocks according to a `dumpe2fs` listing. With bigalloc it lists free clusters by the
 * first block of each end cluster ("2112-2152" is clusters 528-538, blocks 2112-2155), so a
 * range grows to the end of its last cluster; the total must match the header's free count.
 */
export function dumpe2fsUsed(text: string): string {
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(text)?.[1]);
  const count = field("Block count");
  if (!Number.isInteger(count)) throw new Error("dumpe2fs printed no block count");
  const ratio = (field("Cluster size") || field("Block size")) / field("Block size");
  const free = new Set<number>();
  for (const m of text.matchAll(/^ {2}Free blocks: (.*)$/gm)) {
    for (const r of m[1]!.split(",").map((s) => s.trim()).filter(Boolean)) {
      const [a, b] = r.split("-").map(Number);
      for (let x = a!; x < Math.min((b ?? a!) + ratio, count); x++) free.add(x);
    }
  }
  if (free.size !== field("Free blocks")) throw new Error(`dumpe2fs lists ${free.size} free blocks, its header says ${field("Free blocks")}`);
  return complement(free, count);
}

/** Blocks of "A-B" / "N" texts, added to `to`. */
function addSpan(to: Set<number>, first: string, last?: string): void {
  for (let x = Number(first); x <= Number(last ?? first); x++) to.add(x);
}

/**
 * The metadata blocks e2fsprogs names: every superblock copy, descriptor block, reserved GDT
 * block, bitmap and inode table `dumpe2fs` lists, plus the journal inode's blocks (data and
 * mapping blocks) from `debugfs -R "stat <8>"`, as ranges.
 */
export function e2fsprogsMetadata(dumpe2fs: string, journalStat: string): string {
  const blocks = new Set<number>();
  const where = /(?:superblock|Group descriptors?|Reserved GDT blocks|Block bitmap|Inode bitmap|Inode table) at (\d+)(?:-(\d+))?/g;
  for (const m of dumpe2fs.matchAll(where)) addSpan(blocks, m[1]!, m[2]);
  const section = /^(?:BLOCKS|EXTENTS):\n(.*)$/m.exec(journalStat)?.[1] ?? "";
  for (const m of section.matchAll(/\([^)]*\):(\d+)(?:-(\d+))?/g)) addSpan(blocks, m[1]!, m[2]);
  return toRanges([...blocks].sort((a, b) => a - b));
}

/**
 * What a rescue reads first, by e2fsprogs: what libext2fs opens a filesystem with, the primary
 * superblock and the primary descriptor blocks (group 0's table; with meta_bg, the copy in the
 * first group of each meta group), not the backups nor the reserved GDT blocks; every bitmap;
 * of each inode table only the blocks before its never-used tail ("N unused inodes", which
 * dumpe2fs prints only when checksums guard the descriptors; an INODE_UNINIT group's N is all
 * its inodes); and the journal only when the features say needs_recovery.
 */
export function e2fsprogsFirst(dumpe2fs: string, journalStat: string): string {
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(dumpe2fs)?.[1]);
  const [perGroup, inodeSize, blockSize] = [field("Inodes per group"), field("Inode size"), field("Block size")];
  const metaBg = /^Filesystem features:.*\bmeta_bg\b/m.test(dumpe2fs);
  const perMetaGroup = blockSize / (field("Group descriptor size") || 32);
  const blocks = new Set<number>();
  const groups = dumpe2fs.split(/^Group (\d+):/m).slice(1);
  for (let k = 0; k + 1 < groups.length; k += 2) {
    const [g, group] = [Number(groups[k]), groups[k + 1]!];
    for (const m of group.matchAll(/Primary superblock at (\d+)/g)) addSpan(blocks, m[1]!);
    if (g === 0 || (metaBg && g % perMetaGroup === 0)) for (const m of group.matchAll(/Group descriptors? at (\d+)(?:-(\d+))?/g)) addSpan(blocks, m[1]!, m[2]);
    for (const m of group.matchAll(/(?:Block bitmap|Inode bitmap) at (\d+)(?:-(\d+))?/g)) addSpan(blocks, m[1]!, m[2]);
    const table = /Inode table at (\d+)-(\d+)/.exec(group);
    if (!table) continue;
    const unused = /(\d+) unused inodes/.exec(group);
    const usedBlocks = unused ? Math.ceil(((perGroup - Number(unused[1])) * inodeSize) / blockSize) : Infinity;
    const last = Math.min(Number(table[2]), Number(table[1]) + usedBlocks - 1);
    if (last >= Number(table[1])) addSpan(blocks, table[1]!, String(last));
  }
  if (/^Filesystem features:.*\bneeds_recovery\b/m.test(dumpe2fs)) {
    const section = /^(?:BLOCKS|EXTENTS):\n(.*)$/m.exec(journalStat)?.[1] ?? "";
    for (const m of section.matchAll(/\([^)]*\):(\d+)(?:-(\d+))?/g)) addSpan(blocks, m[1]!, m[2]);
  }
  return toRanges([...blocks].sort((a, b) => a - b));
}

/** Allocated blocks according to a `blkls -e -l` listing. */
export const blklsUsed = (text: string) => toRanges(text.split("\n").filter((l) => /^\d+\|a$/.test(l)).map((l) => Number(l.split("|")[0])));

const tool = (path: string, args: string[]) => {
  const r = Bun.spawnSync([path, ...args], { stdin: "ignore", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${path} ${args.join(" ")}: exit ${r.exitCode} ${r.stderr}`);
  return r.stdout.toString();
};

export const dumpe2fsRecipe: Recipe<string> = {
  name: "e2fsprogs/ext-used",
  tools: ["dumpe2fs"],
  keys: extNames.map((n) => `dumpe2fs ${n}`),
  run: (key, t) => dumpe2fsUsed(tool(t.dumpe2fs!, [extImagePath(key.split(" ")[1]!)])),
};

/** A recipe over `dumpe2fs IMG` and the journal inode (`debugfs -R "stat <8>" IMG`), keyed "PREFIX NAME". */
function dumpe2fsJournalRecipe(name: string, prefix: string, ranges: (dumpe2fs: string, journalStat: string) => string): Recipe<string> {
  return {
    name,
    tools: ["dumpe2fs", "debugfs"],
    keys: extNames.map((n) => `${prefix} ${n}`),
    run(key, t) {
      const img = extImagePath(key.split(" ")[1]!);
      return ranges(tool(t.dumpe2fs!, [img]), tool(t.debugfs!, ["-R", "stat <8>", img]));
    },
  };
}

export const extMetadataRecipe = dumpe2fsJournalRecipe("e2fsprogs/ext-metadata", "metadata", e2fsprogsMetadata);
export const extFirstRecipe = dumpe2fsJournalRecipe("e2fsprogs/ext-first", "first", e2fsprogsFirst);

export const extBlklsRecipe: Recipe<string> = {
  name: "sleuthkit/ext-used",
  tools: ["blkls"],
  keys: tskWitnessed.map((n) => `blkls ${n}`),
  run: (key, t) => blklsUsed(tool(t.blkls!, ["-e", "-l", "-f", "ext", extImagePath(key.split(" ")[1]!)])),
};
