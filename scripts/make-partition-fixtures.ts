// Makes the partitioned whole-disk fixtures of test/fixtures/partitions with real tools only:
// sfdisk (MBR with an extended chain, GPT), util-linux fdisk (GPT with 4096-byte sectors, and
// a BSD disklabel nested in a FreeBSD slice), makefs (the UFS inside), and mkfs.ext2/3/4,
// mkfs.fat, mkntfs, mkfs.exfat, mkswap for a disk of one filesystem per partition. Sparse images
// compress to a few KiB (the filesystems disk: 135 KiB, zstd).
//   bun scripts/make-partition-fixtures.ts [OUTDIR=test/fixtures/partitions]
// Then record what sfdisk and mmls say about them: bun scripts/record-oracles.ts partitions/tables
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync, ftruncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const SECTOR = 512;
const BOOT_AREA = 8192;

function run(argv: string[], input?: string): string {
  const r = Bun.spawnSync(argv, { stdin: input === undefined ? "ignore" : new TextEncoder().encode(input), stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")}: exit ${r.exitCode}: ${r.stderr}`);
  return r.stdout.toString();
}

function blank(path: string, bytes: number): void {
  const fd = openSync(path, "w");
  ftruncateSync(fd, bytes);
  closeSync(fd);
}

/** A makefs UFS of `size` bytes holding a few files, written into `disk` at byte `at`. */
function putUfs(scratch: string, disk: string, at: number, size: number, version: 1 | 2, tag: string): void {
  const content = join(scratch, `content-${tag}`);
  mkdirSync(join(content, "sub"), { recursive: true });
  writeFileSync(join(content, "hello.txt"), `hello from the ${tag} partition\n`);
  writeFileSync(join(content, "sub", "numbers.txt"), Array.from({ length: 500 }, (_, i) => `${i + 1}\n`).join(""));
  const img = join(scratch, `ufs-${tag}.img`);
  run(["makefs", "-t", "ffs", "-B", "le", "-o", `version=${version}`, "-T", "1700000000", "-s", String(size), img, content]);
  // The first 8 KiB of a UFS are its boot area, which makefs leaves zero and newfs does not
  // write: there the BSD disklabel of a partition at the slice start lives, kept intact.
  const fd = openSync(disk, "r+");
  writeSync(fd, readFileSync(img), BOOT_AREA, size - BOOT_AREA, at + BOOT_AREA);
  closeSync(fd);
}

/** gzip, or zstd -19 for the filesystems disk (NTFS's $UpCase table makes gzip's output 200 KB). */
function pack(path: string, out: string): void {
  const data = readFileSync(path);
  writeFileSync(out, out.endsWith(".zst") ? Bun.zstdCompressSync(data, { level: 19 }) : Bun.gzipSync(data, { level: 9 }));
}

/** The filesystems of gpt-filesystems.img, one per GPT partition: [name, MiB, mkfs command]. */
export const mkfsPartitions: Array<[string, number, (img: string) => string[]]> = [
  ["ext2", 2, (img) => ["mkfs.ext2", "-q", "-F", "-U", "5a1f0000-0000-4000-8000-000000000002", img]],
  ["ext3", 4, (img) => ["mkfs.ext3", "-q", "-F", "-U", "5a1f0000-0000-4000-8000-000000000003", img]],
  ["ext4", 4, (img) => ["mkfs.ext4", "-q", "-F", "-U", "5a1f0000-0000-4000-8000-000000000004", img]],
  ["fat12", 1, (img) => ["mkfs.fat", "-F", "12", "-i", "5a1f0012", img]],
  ["fat16", 8, (img) => ["mkfs.fat", "-F", "16", "-s", "1", "-i", "5a1f0016", img]],
  ["fat32", 34, (img) => ["mkfs.fat", "-F", "32", "-s", "1", "-i", "5a1f0032", img]],
  ["ntfs", 4, (img) => ["mkntfs", "-q", "-F", "-Q", img]],
  ["exfat", 4, (img) => ["mkfs.exfat", img]],
  ["swap", 1, (img) => ["mkswap", "-U", "5a1f0000-0000-4000-8000-00000000000f", img]],
];

/** A GPT disk with one partition per filesystem of mkfsPartitions, each made by its own mkfs. */
function makeFilesystemsDisk(scratch: string, disk: string): void {
  let lba = 2048;
  const lines: string[] = [];
  const places: number[] = [];
  for (const [name, mib] of mkfsPartitions) {
    lines.push(`start=${lba}, size=${mib * 2048}, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="${name}"`);
    places.push(lba);
    lba += mib * 2048;
  }
  blank(disk, (lba + 2048) * SECTOR);
  run(["sfdisk", "-q", disk], `label: gpt\nlabel-id: 5A1FA6E0-0000-4000-8000-000000000002\nunit: sectors\n\n${lines.join("\n")}\n`);
  const fd = openSync(disk, "r+");
  for (const [i, [name, mib, mkfs]] of mkfsPartitions.entries()) {
    const img = join(scratch, `${name}.fs`);
    blank(img, mib << 20);
    run(mkfs(img));
    writeSync(fd, readFileSync(img), 0, mib << 20, places[i]! * SECTOR);
  }
  closeSync(fd);
}

export function makeFixtures(outDir: string): string[] {
  const scratch = mkdtempSync(join(tmpdir(), "salvage-partitions-"));
  const made: string[] = [];
  try {
    // MBR: three primaries, an extended partition (slot 4) with three logical partitions,
    // a UFS1 in logical partition 5.
    const mbr = join(scratch, "mbr-extended.img");
    blank(mbr, 10 << 20);
    run(["sfdisk", "-q", mbr], "label: dos\nlabel-id: 0x5a1a0001\nunit: sectors\n\n2048,2048,83\n4096,1024,c\n6144,1024,a5\n8192,,5\n9216,4096,a9\n14336,1024,82\n16384,,7\n");
    putUfs(scratch, mbr, 9216 * SECTOR, 4096 * SECTOR, 1, "logical");

    // GPT (512-byte sectors): EFI system, a FreeBSD UFS holding a UFS2, a Linux filesystem.
    const gpt = join(scratch, "gpt.img");
    blank(gpt, 8 << 20);
    run(["sfdisk", "-q", gpt],
      "label: gpt\nlabel-id: 5A1FA6E0-0000-4000-8000-000000000001\nunit: sectors\n\n" +
      "start=2048, size=2048, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=5A1FA6E0-0000-4000-8000-000000000011, name=\"EFI system\"\n" +
      "start=4096, size=8192, type=516E7CB6-6ECF-11D6-8FF8-00022D09712B, uuid=5A1FA6E0-0000-4000-8000-000000000012, name=\"ufs root\"\n" +
      "start=12288, size=4062, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=5A1FA6E0-0000-4000-8000-000000000013, name=\"data\"\n");
    putUfs(scratch, gpt, 4096 * SECTOR, 8192 * SECTOR, 2, "gpt");

    // GPT with 4096-byte sectors (fdisk -b 4096; sfdisk has no sector-size option).
    const gpt4k = join(scratch, "gpt-4k.img");
    blank(gpt4k, 8 << 20);
    run(["fdisk", "-b", "4096", gpt4k], "g\nn\n1\n\n+2M\nn\n2\n\n\nw\n");

    // A FreeBSD slice (0xa5) holding a BSD disklabel written by util-linux fdisk's nested
    // BSD mode: a = 4.2BSD with a UFS1 (at byte 1048576, as in issue 12), b = swap.
    const bsd = join(scratch, "bsd-in-mbr.img");
    blank(bsd, 8 << 20);
    run(["sfdisk", "-q", bsd], "label: dos\nlabel-id: 0x5a1a0002\nunit: sectors\n\n2048,,a5\n");
    run(["fdisk", bsd], "b\ny\nn\na\n2048\n10239\nn\nb\n10240\n12287\nt\na\n7\nt\nb\n1\nw\n");
    putUfs(scratch, bsd, 2048 * SECTOR, 8192 * SECTOR, 1, "bsd");

    const filesystems = join(scratch, "gpt-filesystems.img");
    makeFilesystemsDisk(scratch, filesystems);

    mkdirSync(outDir, { recursive: true });
    for (const img of [mbr, gpt, gpt4k, bsd, filesystems]) {
      const out = join(outDir, img.slice(scratch.length + 1) + (img === filesystems ? ".zst" : ".gz"));
      pack(img, out);
      made.push(out);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return made;
}

if (import.meta.main) {
  const out = resolve(process.argv[2] ?? join(import.meta.dir, "../test/fixtures/partitions"));
  for (const f of makeFixtures(out)) console.log(f);
}
