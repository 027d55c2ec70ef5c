// Makes the FAT12/16/32, exFAT and NTFS images of test/fixtures/fsmap/ with the real tools only
// (the provenance note beside them says which versions), as root:
//   bun scripts/make-fat-ntfs-fixtures.ts [OUTDIR=test/fixtures/fsmap] [NAME...]   (NAMES: see `makers`)
// Each image is formatted, filled to about 30% with files of known text, then some files are
// deleted, a few more written and a few more deleted (so some files are fragmented and the
// free space is not one block): a used-space map must then follow the allocation, not the
// start of the volume.
//   FAT:   mkfs.fat (dosfstools), mcopy/mdel (mtools), no mount needed.
//   exFAT: mkfs.exfat (exfatprogs), written through exfat-fuse on a loop device.
//   NTFS:  mkntfs (ntfs-3g), written through the ntfs-3g FUSE driver (it mounts a plain file).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { rng } from "./make-ffs-fixture.ts";

function sh(cmd: string[], env: Record<string, string> = {}): string {
  const r = Bun.spawnSync(cmd, { stdin: "ignore", env: { ...process.env, ...env } });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")}: exit ${r.exitCode}: ${r.stderr.toString().trim()}`);
  return r.stdout.toString();
}

/** A file of `size` bytes: a unique first line, then one line repeated (compresses to little). */
function fileText(name: string, size: number): Uint8Array {
  const head = `${name}: ${size} bytes of fixture text for the salvage used-space maps\n`;
  const line = `${name} is a file the filesystem uses; its clusters belong in the used map.\n`;
  let s = head;
  while (s.length < size) s += line;
  return new TextEncoder().encode(s.slice(0, size));
}

interface Plan {
  /** Files written first: name → size. */
  first: Array<[string, number]>;
  /** Names deleted after that. */
  deleted: string[];
  /** Files written after the deletions. */
  later: Array<[string, number]>;
  /** Names deleted at the end (so holes stay that later files did not fill). */
  deletedLast: string[];
}

/** Files that fill about `fill` of `bytes`, from a seed; every third one deleted afterwards. */
function plan(bytes: number, fill: number, seed: number, maxFile: number): Plan {
  const rand = rng(seed);
  const first: Array<[string, number]> = [];
  let total = 0;
  for (let i = 0; total < bytes * fill; i++) {
    const size = 100 + rand(maxFile);
    first.push([`F${String(i).padStart(3, "0")}.TXT`, size]);
    total += size;
  }
  const deleted = first.filter((_, i) => i % 3 === 1).map(([n]) => n);
  const later = Array.from({ length: 4 }, (_, i): [string, number] => [`LATER${i}.TXT`, maxFile + rand(maxFile)]);
  const deletedLast = first.filter((_, i) => i % 5 === 4 && i % 3 !== 1).map(([n]) => n);
  return { first, deleted, later, deletedLast };
}

function fillWithMtools(img: string, p: Plan, work: string): void {
  const env = { MTOOLS_SKIP_CHECK: "1" };
  const put = (files: Array<[string, number]>) => {
    for (const [name, size] of files) {
      const f = join(work, name);
      writeFileSync(f, fileText(name, size));
      sh(["mcopy", "-i", img, f, `::${name}`], env);
      unlinkSync(f);
    }
  };
  put(p.first);
  sh(["mdel", "-i", img, ...p.deleted.map((n) => `::${n}`)], env);
  put(p.later);
  sh(["mdel", "-i", img, ...p.deletedLast.map((n) => `::${n}`)], env);
}

/** Writes the plan through a mounted filesystem, then unmounts. */
function fillMounted(mount: () => void, dir: string, p: Plan): void {
  mount();
  try {
    for (const [name, size] of p.first) writeFileSync(join(dir, name), fileText(name, size));
    for (const name of p.deleted) unlinkSync(join(dir, name));
    for (const [name, size] of p.later) writeFileSync(join(dir, name), fileText(name, size));
    for (const name of p.deletedLast) unlinkSync(join(dir, name));
  } finally {
    sh(["umount", dir]);
  }
}

const MiB = 1 << 20;

const makers: Record<string, (img: string, work: string) => string> = {
  fat12(img, work) {
    sh(["mkfs.fat", "-C", "-F", "12", "-i", "5a1a0012", "-n", "SALVAGE12", img, "1440"]);
    fillWithMtools(img, plan(1440 * 1024, 0.3, 12, 30_000), work);
    return "mkfs.fat -C -F 12 -i 5a1a0012 -n SALVAGE12 IMG 1440 (1.44 MB floppy), mcopy/mdel";
  },
  fat16(img, work) {
    // Three 1 KiB blocks listed as bad: mkfs.fat marks their clusters 0xFFF7 in the FAT.
    const bad = join(work, "bad.txt");
    writeFileSync(bad, "1000\n1001\n3000\n");
    sh(["mkfs.fat", "-C", "-F", "16", "-i", "5a1a0016", "-n", "SALVAGE16", "-l", bad, img, String((16 * MiB) / 1024)]);
    fillWithMtools(img, plan(16 * MiB, 0.3, 16, 300_000), work);
    return "mkfs.fat -C -F 16 -i 5a1a0016 -n SALVAGE16 -l BAD IMG 16384 (16 MiB; BAD lists 1 KiB blocks 1000, 1001, 3000), mcopy/mdel";
  },
  fat32(img, work) {
    sh(["mkfs.fat", "-C", "-F", "32", "-i", "5a1a0032", "-n", "SALVAGE32", img, String((40 * MiB) / 1024)]);
    fillWithMtools(img, plan(40 * MiB, 0.3, 32, 600_000), work);
    // A root directory longer than one cluster (512 bytes here): its chain is metadata.
    return "mkfs.fat -C -F 32 -i 5a1a0032 -n SALVAGE32 IMG 40960 (40 MiB), mcopy/mdel";
  },
  "fat16-s4096"(img, work) {
    // 4 KiB logical sectors: every BPB size in the parser must scale with them.
    sh(["mkfs.fat", "-C", "-F", "16", "-S", "4096", "-s", "1", "-i", "5a1a4096", img, String((32 * MiB) / 1024)]);
    fillWithMtools(img, plan(32 * MiB, 0.3, 4096, 600_000), work);
    return "mkfs.fat -C -F 16 -S 4096 -s 1 -i 5a1a4096 IMG 32768 (32 MiB, 4 KiB sectors), mcopy/mdel";
  },
  exfat: (img, work) => makeExfat(img, work, 8, [], 200_000),
  // 512-byte clusters: the bitmap, up-case table and root directory span several clusters.
  "exfat-c512": (img, work) => makeExfat(img, work, 4, ["-c", "512"], 100_000),
  ntfs: (img, work) => makeNtfs(img, work, 8, [], 200_000),
  // 512-byte clusters: each 1 KiB MFT record spans two clusters.
  "ntfs-c512": (img, work) => makeNtfs(img, work, 4, ["-c", "512"], 100_000),
};

/** mkfs.fat with `options` on a new `kib`-KiB image, then filled through mtools. */
export function makeFat(img: string, work: string, options: string[], kib: number, seed: number, maxFile: number): string {
  sh(["mkfs.fat", "-C", ...options, img, String(kib)]);
  fillWithMtools(img, plan(kib * 1024, 0.3, seed, maxFile), work);
  return `mkfs.fat -C ${options.join(" ")} IMG ${kib}, mcopy/mdel`;
}

export function makeExfat(img: string, work: string, mib: number, options: string[], maxFile: number): string {
  sh(["truncate", "-s", String(mib * MiB), img]);
  sh(["mkfs.exfat", ...options, "-L", "SALVAGEX", img]);
  const dir = join(work, "mnt");
  mkdirSync(dir, { recursive: true });
  const loop = sh(["losetup", "-f", "--show", img]).trim();
  try {
    fillMounted(() => sh(["mount.exfat-fuse", loop, dir]), dir, plan(mib * MiB, 0.3, 64, maxFile));
  } finally {
    sh(["losetup", "-d", loop]);
  }
  return `truncate -s ${mib}M IMG; mkfs.exfat ${[...options, ""].join(" ")}-L SALVAGEX IMG; files written through exfat-fuse on a loop device`;
}

export function makeNtfs(img: string, work: string, mib: number, options: string[], maxFile: number): string {
  sh(["truncate", "-s", String(mib * MiB), img]);
  sh(["mkntfs", "-F", "-f", "-q", ...options, "-L", "SALVAGENTFS", img]);
  const dir = join(work, "mnt");
  mkdirSync(dir, { recursive: true });
  fillMounted(() => sh(["ntfs-3g", img, dir]), dir, plan(mib * MiB, 0.3, 99, maxFile));
  return `truncate -s ${mib}M IMG; mkntfs -F -f -q ${[...options, ""].join(" ")}-L SALVAGENTFS IMG; files written through ntfs-3g (FUSE)`;
}

export const fixtureDirs: Record<string, string> = { fat12: "fat", fat16: "fat", "fat16-s4096": "fat", fat32: "fat", exfat: "exfat", "exfat-c512": "exfat", ntfs: "ntfs", "ntfs-c512": "ntfs" };

if (import.meta.main) {
  const args = process.argv.slice(2);
  const out = resolve(args[0] && !(args[0] in makers) ? args.shift()! : "test/fixtures/fsmap");
  const which = args.length ? args : Object.keys(makers);
  const work = mkdtempSync(join(tmpdir(), "salvage-fsfix-"));
  try {
    for (const kind of which) {
      const maker = makers[kind];
      if (!maker) throw new Error(`unknown fixture ${kind} (${Object.keys(makers).join(", ")})`);
      const img = join(work, `${kind}.img`);
      const how = maker(img, work);
      const dir = join(out, fixtureDirs[kind]!);
      mkdirSync(dir, { recursive: true });
      const packed = Bun.gzipSync(readFileSync(img), { level: 9 });
      writeFileSync(join(dir, `${kind}.img.gz`), packed);
      console.log(`${kind}.img.gz: ${packed.length} bytes gzipped; ${how}`);
      rmSync(img);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
