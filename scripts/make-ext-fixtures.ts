// Makes the ext2/3/4 fixture images of test/fixtures/fsmap/ext with the real e2fsprogs:
// `mke2fs -d DIR` fills each image from a directory without mounting, `debugfs -w -R rm`
// deletes some files (so freed blocks sit between used ones), and the image is gzipped.
//   bun scripts/make-ext-fixtures.ts [OUTDIR=test/fixtures/fsmap/ext] [NAME...]  (default: every variant)
// File contents repeat a short line, so 30% full images still gzip to a few tens of KB.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { rng } from "./make-ffs-fixture.ts";

export interface ExtVariant {
  /** File name stem: NAME.img.gz. */
  name: string;
  sizeMiB: number;
  /** mke2fs options (before the image and size). */
  mkfs: string[];
  /** What the variant exercises, for the provenance note. */
  why: string;
  /** Part of the image the files fill (0.3 unless said) and the largest file. */
  fill?: number;
  maxFile?: number;
  /** Commands run on the image (its path replaces IMG) after the deletions. */
  then?: string[][];
}

export const extVariants: ExtVariant[] = [
  { name: "ext2-1k", sizeMiB: 8, mkfs: ["-t", "ext2", "-b", "1024"], why: "ext2, 1 KiB blocks (first data block 1), sparse_super, resize_inode" },
  { name: "ext2-nosparse", sizeMiB: 4, mkfs: ["-t", "ext2", "-b", "1024", "-g", "1024", "-O", "^sparse_super,^resize_inode"], why: "superblock and GDT copy in every group" },
  { name: "ext3-2k", sizeMiB: 8, mkfs: ["-t", "ext3", "-b", "2048", "-g", "1024"], why: "ext3, 2 KiB blocks, block-mapped journal" },
  { name: "ext4-32bit", sizeMiB: 8, mkfs: ["-t", "ext4", "-b", "1024", "-g", "1024", "-O", "^64bit"], why: "ext4 32-byte descriptors, flex_bg, BLOCK_UNINIT groups" },
  { name: "ext4-64bit", sizeMiB: 16, mkfs: ["-t", "ext4", "-b", "4096", "-g", "1024", "-O", "64bit"], why: "ext4 64-byte descriptors, 4 KiB blocks, flex_bg" },
  { name: "ext4-metabg", sizeMiB: 8, mkfs: ["-t", "ext4", "-b", "1024", "-g", "256", "-O", "meta_bg,^resize_inode"], why: "meta_bg descriptor blocks, 32 groups" },
  { name: "ext4-sparse2", sizeMiB: 8, mkfs: ["-t", "ext4", "-b", "1024", "-g", "1024", "-O", "sparse_super2", "-E", "num_backup_sb=2"], why: "sparse_super2 (two backups, in the groups the superblock names)" },
  { name: "ext4-bigalloc", sizeMiB: 16, mkfs: ["-t", "ext4", "-b", "1024", "-C", "4096", "-O", "bigalloc"], why: "bigalloc: 4 KiB clusters of 1 KiB blocks, cluster bitmaps" },
  { name: "ext4-uninit-bg", sizeMiB: 8, mkfs: ["-t", "ext4", "-b", "1024", "-g", "1024", "-O", "^metadata_csum,uninit_bg,^64bit"], why: "uninit_bg: BLOCK_UNINIT guarded by CRC-16 descriptor checksums" },
  { name: "ext4-uninit-bg-64", sizeMiB: 24, mkfs: ["-t", "ext4", "-b", "2048", "-g", "512", "-O", "^metadata_csum,uninit_bg,64bit"], why: "uninit_bg with 64-byte descriptors (CRC-16 over the upper half too)" },
  { name: "ext4-bigalloc-groups", sizeMiB: 16, mkfs: ["-t", "ext4", "-b", "1024", "-C", "4096", "-g", "512", "-O", "bigalloc"], why: "bigalloc (4 blocks a cluster) over 8 groups, BLOCK_UNINIT ones among them (metadata rounded to clusters)" },
  { name: "ext4-late-journal", sizeMiB: 8, mkfs: ["-t", "ext4", "-b", "1024", "-O", "^has_journal"], fill: 0.6, maxFile: 12_000, then: [["tune2fs", "-J", "size=1", "IMG"]], why: "journal added after deletions: scattered over the holes, an extent tree of depth 1" },
  { name: "ext3-1k-default", sizeMiB: 12, mkfs: ["-t", "ext3", "-b", "1024"], why: "mke2fs's own group size (8192 blocks): the backup superblock at block 8193 stands in for an unreadable primary" },
  { name: "ext4-resized", sizeMiB: 4, mkfs: ["-t", "ext4", "-b", "1024", "-g", "256", "-O", "^resize_inode"], then: [["truncate", "-s", "24M", "IMG"], ["resize2fs", "IMG"]], why: "grown offline from 4 to 24 MiB by resize2fs without reserved GDT blocks: tables moved to make room" },
];

// New variants go at the end: the position seeds the files and the UUID of each image.

/** Files filling part of the image (30% unless said); every third one is deleted afterwards. */
function populate(dir: string, bytes: number, seed: number, fill = 0.3, maxFile = 600_000): string[] {
  const rand = rng(seed);
  const deleted: string[] = [];
  mkdirSync(join(dir, "sub"));
  let total = 0;
  for (let i = 0; total < bytes * fill; i++) {
    const size = Math.min(maxFile, rand(8) === 0 ? 200_000 + rand(400_000) : 500 + rand(30_000));
    const name = `${i % 4 === 0 ? "sub/" : ""}file-${i}.txt`;
    const line = `salvage ext fixture ${name}\n`;
    writeFileSync(join(dir, name), line.repeat(Math.ceil(size / line.length)).slice(0, size));
    total += size;
    if (i % 3 === 1) deleted.push(`/${name}`);
  }
  return deleted;
}

function run(cmd: string[]): void {
  const r = Bun.spawnSync(cmd, { stdin: "ignore", stderr: "pipe", stdout: "pipe", env: { ...process.env, E2FSPROGS_FAKE_TIME: "1790000000" } });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")}: exit ${r.exitCode}: ${r.stderr}`);
}

if (import.meta.main) {
  const out = resolve(process.argv[2] ?? join(import.meta.dir, "../test/fixtures/fsmap/ext"));
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "salvage-ext-fixtures-"));
  try {
    const only = process.argv.slice(3);
    extVariants.forEach((v, n) => {
      if (only.length && !only.includes(v.name)) return;
      const src = join(work, `${v.name}.d`);
      mkdirSync(src);
      const doomed = populate(src, v.sizeMiB << 20, n + 1, v.fill, v.maxFile);
      const img = join(work, `${v.name}.img`);
      const uuid = `5a1fa9e0-0000-4000-8000-${String(n + 1).padStart(12, "0")}`;
      run(["mke2fs", "-q", "-F", "-U", uuid, "-E", `hash_seed=${uuid}`, ...v.mkfs, "-d", src, img, `${v.sizeMiB}M`]);
      for (const f of doomed) run(["debugfs", "-w", "-R", `rm ${f}`, img]);
      for (const cmd of v.then ?? []) run(cmd.map((a) => (a === "IMG" ? img : a)));
      const gz = Bun.gzipSync(readFileSync(img), { level: 9 });
      writeFileSync(join(out, `${v.name}.img.gz`), gz);
      console.log(`${v.name}.img.gz: ${gz.length} bytes, ${doomed.length} files deleted`);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
