// Whole disks in the CLI: `salvage info` lists partitions and their filesystems, and the FFS
// commands find the UFS in a partition by themselves (or by --partition), end to end on the
// fixtures; getfree's output is compared with TSK's blkls at the partition's offset (recorded).
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { digest, loadOracle, recorded } from "../helpers/oracle.ts";
import { fixturePath, salvage, scratchDir } from "../ffs/fixtures.ts";
import { gptDisk, putRecord } from "./craft.ts";
import { diskBytes, diskPath } from "./fixtures.ts";
import { paddedImage } from "../ffs/tsk-cases.ts";
import { blklsBsdKey, blklsLogicalKey, partitionTablesRecipe } from "./table-cases.ts";

const recording = loadOracle<string>(partitionTablesRecipe.name);
const text = (r: { stdout: Uint8Array }) => new TextDecoder().decode(r.stdout);

describe("salvage info on whole disks", () => {
  test("--json: each partition with its id and the filesystem the fixture script put there", () => {
    const fs = (name: string) => {
      const r = salvage(["info", "--json", diskPath(name)]);
      expect(r.code).toBe(0);
      const t = JSON.parse(text(r)).partitionTable;
      return { table: t.table, notes: t.notes, parts: t.partitions.map((p: any) => [p.id, p.filesystem]) };
    };
    expect(fs("mbr-extended.img")).toEqual({ table: "mbr", notes: [], parts: [["1", null], ["2", null], ["3", null], ["4", null], ["5", "ufs1"], ["6", null], ["7", null]] });
    expect(fs("gpt.img")).toEqual({ table: "gpt", notes: [], parts: [["1", null], ["2", "ufs2"], ["3", null]] });
    expect(fs("bsd-in-mbr.img")).toEqual({ table: "mbr", notes: [], parts: [["1", "bsd disklabel"], ["1a", "ufs1"], ["1b", null]] });
  });

  test("text: one row per partition with type, offset and filesystem", () => {
    const out = text(salvage(["info", diskPath("bsd-in-mbr.img")]));
    expect(out).toContain("partitions:      mbr, 512-byte sectors");
    expect(out).toMatch(/^\s+1a\s+bsd\s+7 4\.2BSD \(UFS\)\s+1048576\s+4\.00 MiB\s+ufs1$/m);
    const gpt = text(salvage(["info", diskPath("gpt.img")]));
    expect(gpt).toMatch(/^\s+2\s+gpt\s+FreeBSD UFS "ufs root"\s+2097152\s+4\.00 MiB\s+ufs2$/m);
  });

  test("a damaged GPT: the backup is listed and the note says so", () => {
    const bytes = diskBytes("gpt.img");
    bytes.fill(0, 512, 1024);
    const out = text(salvage(["info", diskPath("gpt.img", bytes)]));
    expect(out).toContain("note:            primary GPT not used");
    expect(out).toContain("ufs2");
  });

  test("control characters in a GPT name reach the terminal escaped", () => {
    const disk = gptDisk(4096, 512, [{ type: "0FC63DAF-8483-4772-8E79-3D69D8477DE4", first: 2048, last: 4000, name: "x\x1b]0;pwned\x07" }]);
    const out = text(salvage(["info", diskPath("hostile-name.img", disk)]));
    expect(out).not.toContain("\x1b");
    expect(out).toContain("x\\x1b]0;pwned\\x07");
  });

  test("no table: the filesystem of the whole image is named", () => {
    const out = text(salvage(["info", fixturePath("makefs_ufs1_le.img.gz")]));
    expect(out).toContain("partitions:      none (no MBR, GPT or BSD disklabel)\n  filesystem:      ufs1\n");
  });
});

describe("FFS commands on whole disks (issue 12)", () => {
  const bsd = () => diskPath("bsd-in-mbr.img");

  test("ffs superblocks names the partition and the option to use", () => {
    const r = salvage(["ffs", "superblocks", bsd()]);
    const lines = text(r).trim().split("\n");
    expect(lines[0]).toBe("byte 1056768: UFS1 little-endian, 1 cylinder groups, bsize 8192, fsize 1024; in bsd 1a (4.2BSD (UFS)) at byte 1048576: use --partition 1a (or --offset 1048576)");
    expect(lines[1]).toMatch(/^byte 1064960: .*use --partition 1a --superblock 16384$/);
    // Within a chosen partition, offsets count from its start.
    expect(text(salvage(["ffs", "superblocks", "--partition", "1a", bsd()])).split("\n")[0]).toMatch(/^byte 8192: UFS1 little-endian/);
  });

  test("ffs superblocks without a table: the primary says where its filesystem starts (issue 12's example)", () => {
    const lines = text(salvage(["ffs", "superblocks", paddedImage()])).trim().split("\n");
    expect(lines[0]).toBe("byte 1056768: UFS1 big-endian, 1 cylinder groups, bsize 8192, fsize 1024; the primary of a filesystem at byte 1048576: use --offset 1048576");
    expect(lines[1]).toBe("byte 1064960: UFS1 big-endian, 1 cylinder groups, bsize 8192, fsize 1024"); // a backup: no hint
    // A filesystem at byte 0 needs no option.
    expect(text(salvage(["ffs", "superblocks", fixturePath("ffs.bin.gz")]))).not.toContain("use --offset");
  });

  test("ffs info picks the one partition holding a UFS, says which, and equals --offset and --partition", () => {
    const auto = salvage(["ffs", "info", bsd()]);
    expect(auto.code).toBe(0);
    expect(auto.stderr).toContain("using bsd 1a (4.2BSD (UFS)) at byte 1048576");
    expect(auto.stderr).toContain("--partition 1a or --offset 1048576");
    const byOffset = salvage(["ffs", "info", "--offset", "1048576", bsd()]);
    const byPartition = salvage(["ffs", "info", "--partition", "1A", bsd()]);
    expect(text(auto)).toBe(text(byOffset));
    expect(text(auto)).toBe(text(byPartition));
    expect(byOffset.stderr).toBe("");
    expect(text(auto)).toContain("variant:          UFS1, little-endian");
  });

  test("getfree on the whole disk == blkls at the partition offset (BSD label, and a logical partition)", () => {
    for (const [name, key] of [["bsd-in-mbr.img", blklsBsdKey], ["mbr-extended.img", blklsLogicalKey]] as const) {
      const r = salvage(["getfree", "--keep-uniform", diskPath(name)]);
      expect(r.code).toBe(0);
      expect(digest(r.stdout)).toBe(recorded(recording, partitionTablesRecipe.name, key));
    }
  });

  test("undelete works on a whole GPT disk", () => {
    const out = join(scratchDir(), "undelete-gpt");
    const r = salvage(["undelete", diskPath("gpt.img"), out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("using gpt 2 (FreeBSD UFS)");
    expect(existsSync(join(out, "report.txt"))).toBe(true);
    expect(readFileSync(join(out, "report.txt"), "utf8")).toContain("UFS2 little-endian");
  });

  test("a partition without a UFS, an unknown partition, both options: one line each, exit 2", () => {
    const one = (args: string[]) => {
      const r = salvage(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      return r.stderr.trim();
    };
    expect(one(["ffs", "info", "--partition", "1", diskPath("gpt.img")])).toMatch(/gpt\.img \(gpt 1 \(EFI System\)\): no valid UFS1\/UFS2 superblock/);
    expect(one(["ffs", "info", "--partition", "9", bsd()])).toMatch(/no partition '9'; it has 1 FreeBSD at 1048576 bsd disklabel, 1a 4\.2BSD \(UFS\) at 1048576 ufs1, 1b swap at 5242880$/);
    expect(one(["getfree", "--partition", "1a", "--offset", "0", "-o", join(scratchDir(), "x"), bsd()])).toBe("salvage: --offset and --partition: give one of them");
    expect(one(["ffs", "info", diskPath("gpt-4k.img")])).toMatch(/no UFS filesystem in its partitions \(1 Linux filesystem at 1048576, 2 Linux filesystem at 3145728\); choose one with --partition ID or --offset BYTES$/);
  });

  test("a crafted table of 100 logical partitions: the error line names 20 of them", () => {
    const disk = new Uint8Array(1 << 20);
    putRecord(disk, 0, [{ type: 0x05, first: 2, sectors: 2000 }]);
    for (let i = 0; i < 100; i++) putRecord(disk, (2 + i * 4) * 512, [{ type: 0x83, first: 1, sectors: 3 }, { type: 0x05, first: (i + 1) * 4, sectors: 4 }]);
    const r = salvage(["ffs", "info", diskPath("hundred.img", disk)]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("and 81 more (salvage info lists them)");
  });

  test("two partitions holding a UFS: the user must choose", () => {
    const bytes = diskBytes("gpt.img");
    bytes.copyWithin(12288 * 512, 4096 * 512, 4096 * 512 + 65536); // partition 2's first 64 KiB into partition 3
    const r = salvage(["ffs", "info", diskPath("gpt.img", bytes)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2 partitions hold a UFS filesystem \(2 FreeBSD UFS at 2097152 ufs2, 3 Linux filesystem at 6291456 ufs2\); choose one with --partition ID$/m);
  });
});
