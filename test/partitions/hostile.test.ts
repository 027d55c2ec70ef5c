// Tables a damaged or crafted disk can hold, built byte by byte (craft.ts): loops, absurd counts,
// bad checksums, partitions past the end. Each gives partitions and one-line notes, never an
// exception, in bounded reads. And the layouts real BSDs write that the fixtures do not cover.
import { describe, expect, test } from "bun:test";
import { leafPartitions, readPartitionTables, partitionId, listPartitions } from "../../src/partitions/list.ts";
import { filesystemByMagic } from "../../src/partitions/fs-magic.ts";
import { volumesOf } from "../../src/partitions/volumes.ts";
import { gptDisk, fixGptCrcs, le32, putBsdLabel, putGptHeader, putRecord, reader } from "./craft.ts";

const MiB = 1 << 20;
/** XORs one byte of a table, leaving every checksum as it was. */
const flip = (disk: Uint8Array, at: number, bits: number) => disk.set([disk[at]! ^ bits], at);
const LINUX = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

function tables(disk: Uint8Array) {
  const { read, stats } = reader(disk);
  const r = readPartitionTables(read, disk.length);
  for (const n of r.notes) expect(n).not.toContain("\n");
  return { ...r, stats };
}

const spans = (r: { partitions: { start: number; length: number }[] }) => r.partitions.map((p) => [p.start / 512, p.length / 512]);

describe("MBR and the extended chain", () => {
  test("an EBR chain that loops back stops there, with a note", () => {
    const disk = new Uint8Array(4 * MiB);
    putRecord(disk, 0, [{ type: 0x05, first: 100, sectors: 4000 }]);
    putRecord(disk, 100 * 512, [{ type: 0x83, first: 10, sectors: 20 }, { type: 0x05, first: 50, sectors: 100 }]);
    putRecord(disk, 150 * 512, [{ type: 0x83, first: 10, sectors: 20 }, { type: 0x05, first: 50, sectors: 100 }]); // links to itself
    const r = tables(disk);
    expect(spans(r)).toEqual([[100, 4000], [110, 20], [160, 20]]);
    expect(r.partitions.map((p) => p.index)).toEqual([1, 5, 6]);
    expect(leafPartitions(r.partitions).map((p) => p.index)).toEqual([5, 6]);
    expect(volumesOf(reader(disk).read, disk.length)).toEqual({
      volumes: [{ start: 110 * 512, length: 20 * 512, label: "mbr 5 (Linux)" }, { start: 160 * 512, length: 20 * 512, label: "mbr 6 (Linux)" }],
      notes: r.notes,
    });
    expect(r.notes).toEqual(["mbr 1: the extended chain loops back to sector 150, stopped there"]);
  });

  test("a chain of thousands of EBRs is cut at 256, reading a bounded number of sectors", () => {
    const disk = new Uint8Array(8 * MiB);
    putRecord(disk, 0, [{ type: 0x0f, first: 2, sectors: 16000 }]);
    for (let i = 0; i < 4000 && (2 + i * 4) * 512 < disk.length - 512; i++)
      putRecord(disk, (2 + i * 4) * 512, [{ type: 0x83, first: 1, sectors: 2 }, { type: 0x05, first: (i + 1) * 4, sectors: 4 }]);
    const r = tables(disk);
    expect(r.partitions.length).toBe(1 + 256);
    expect(r.notes[0]).toContain("more than 256 extended boot records");
    expect(r.stats.calls).toBeLessThan(300);
  });

  test("an EBR linking outside its extended partition stops the chain", () => {
    const disk = new Uint8Array(MiB);
    putRecord(disk, 0, [{ type: 0x05, first: 100, sectors: 200 }]);
    putRecord(disk, 100 * 512, [{ type: 0x83, first: 10, sectors: 20 }, { type: 0x05, first: 5000, sectors: 100 }]);
    const r = tables(disk);
    expect(spans(r)).toEqual([[100, 200], [110, 20]]);
    expect(r.notes[0]).toContain("links outside its extended partition");
  });

  test("partitions past the end of the disk are listed (a truncated image) with a note", () => {
    const disk = new Uint8Array(MiB);
    putRecord(disk, 0, [{ type: 0x83, first: 2048, sectors: 0xffffffff }, { type: 0x83, first: 0xffffff00, sectors: 16 }]);
    const r = tables(disk);
    expect(spans(r)).toEqual([[2048, 0xffffffff], [0xffffff00, 16]]);
    expect(r.notes).toHaveLength(2);
    expect(r.notes[0]).toContain("ends past the end of the disk");
  });

  test("overlapping partitions are listed as they are", () => {
    const disk = new Uint8Array(MiB);
    putRecord(disk, 0, [{ type: 0x83, first: 100, sectors: 500 }, { type: 0x07, first: 200, sectors: 500 }]);
    expect(spans(tables(disk))).toEqual([[100, 500], [200, 500]]);
  });

  test("a FAT boot sector on the whole disk is not a partition table; its filesystem is named", () => {
    const disk = new Uint8Array(MiB);
    disk.set([0xeb, 0x3c, 0x90], 0);
    disk.set(new TextEncoder().encode("MSDOS5.0"), 3);
    disk.set([0, 2, 4, 1, 0, 2, 0, 2, 0, 8, 0xf8, 8, 0], 11); // 512 B/sector, 4/cluster, 1 reserved, 2 FATs, 512 root entries, 2048 sectors, 8-sector FATs
    disk.set(new TextEncoder().encode("FAT12   "), 54);
    putRecord(disk, 0, []);
    expect(tables(disk).table).toBeNull();
    expect(filesystemByMagic(reader(disk).read, 0)).toBe("fat12");
  });

  test("a boot flag other than 0 or 0x80 means no MBR (boot code ending in 55 AA)", () => {
    const disk = new Uint8Array(MiB);
    putRecord(disk, 0, [{ boot: 0x12, type: 0x83, first: 10, sectors: 10 }]);
    expect(tables(disk)).toMatchObject({ table: null, partitions: [] });
  });

  test("a 4Kn drive: MBR and EBR sector numbers count 4096 bytes, the label sits 4096 bytes in", () => {
    const disk = new Uint8Array(8 * MiB);
    putRecord(disk, 0, [{ type: 0xa9, first: 256, sectors: 512 }, { type: 0x05, first: 1024, sectors: 512 }]);
    putRecord(disk, 1024 * 4096, [{ type: 0x83, first: 256, sectors: 100 }]);
    putBsdLabel(disk, 257 * 4096, [{ offset: 272, size: 100, fstype: 7 }], { secsize: 4096 });
    const { read } = reader(disk);
    const r = readPartitionTables(read, disk.length, 4096);
    expect(r.sectorSize).toBe(4096);
    expect(r.partitions.map((p) => [p.scheme, p.index, p.start / 4096, p.length / 4096])).toEqual([["mbr", 1, 256, 512], ["mbr", 2, 1024, 512], ["mbr", 5, 1280, 100], ["bsd", 1, 272, 100]]);
  });

  test("nothing readable: no table, no exception; the whole disk is the one volume", () => {
    expect(readPartitionTables(() => null, 10 * MiB)).toEqual({ table: null, sectorSize: 512, partitions: [], notes: [] });
    expect(volumesOf(() => null, 10 * MiB)).toEqual({ volumes: [{ start: 0, length: 10 * MiB, label: "whole disk" }], notes: [] });
    expect(listPartitions(() => null, 0)).toEqual([]);
  });
});

describe("GPT", () => {
  const entries = [
    { type: LINUX, first: 2048, last: 4095, name: "one" },
    { type: LINUX, first: 4096, last: 8191 },
  ];

  test("a primary header with a bad CRC: the backup is used, with a note", () => {
    const disk = gptDisk(16384, 512, entries);
    flip(disk, 512 + 40, 1); // first usable LBA changed, CRC not updated
    const r = tables(disk);
    expect(r.table).toBe("gpt");
    expect(spans(r)).toEqual([[2048, 2048], [4096, 4096]]);
    expect(r.partitions[0]!.name).toBe("one");
    expect(r.notes).toEqual(["primary GPT not used (header CRC mismatch at LBA 1); read the backup at LBA 16383"]);
  });

  test("a primary entry array with a bad CRC: the backup's array is used", () => {
    const disk = gptDisk(16384, 512, entries);
    disk[2 * 512 + 32] = 0x99; // entry 1's first LBA, array CRC not updated
    const r = tables(disk);
    expect(spans(r)).toEqual([[2048, 2048], [4096, 4096]]);
    expect(r.notes[0]).toContain("entry array CRC mismatch");
  });

  test("both copies bad: the protective MBR is shown, with one note saying why", () => {
    const disk = gptDisk(16384, 512, entries);
    flip(disk, 512 + 40, 1);
    flip(disk, 16383 * 512 + 40, 1);
    const r = tables(disk);
    expect(r.table).toBe("mbr");
    expect(r.partitions.map((p) => p.type)).toEqual(["0xee"]);
    expect(r.notes).toEqual(["no valid GPT (512-byte sectors): header CRC mismatch at LBA 1; backup: header CRC mismatch at LBA 16383"]);
  });

  test("an absurd entry count or size is refused before anything is read or allocated", () => {
    for (const [count, size] of [[0xffffffff, 128], [1 << 20, 128], [4, 0xffffff80], [4, 100]] as const) {
      const disk = gptDisk(16384, 512, entries);
      for (const at of [512, 16383 * 512]) {
        le32(disk, at + 80, count);
        le32(disk, at + 84, size);
        fixGptCrcs(disk, at, 512);
      }
      const r = tables(disk);
      expect(r.table).toBe("mbr");
      expect(r.stats.bytes).toBeLessThan(64 * 1024);
      expect(r.notes[0]).toMatch(/entries of|entry size/);
    }
  });

  test("entries past the disk, reversed or outside the usable range: listed with notes or ignored", () => {
    const disk = gptDisk(16384, 512, [
      { type: LINUX, first: 2048, last: 99999 },
      { type: LINUX, first: 5000, last: 4000 },
      { type: LINUX, first: 2 ** 60, last: 2 ** 60 + 5 },
      { type: LINUX, first: 10, last: 20 },
    ]);
    const r = tables(disk);
    expect(r.partitions.map((p) => p.index)).toEqual([1, 4]);
    expect(r.notes).toEqual([
      "gpt 1: LBA 2048..99999 is outside the usable range 34..16350",
      "gpt 1: ends past the end of the disk",
      "gpt 2: impossible range LBA 5000..4000, ignored",
      `gpt 3: impossible range LBA ${2 ** 60}..${2 ** 60 + 5}, ignored`,
      "gpt 4: LBA 10..20 is outside the usable range 34..16350",
    ]);
  });

  test("4096-byte sectors: header at byte 4096, LBAs of 4 KiB", () => {
    const r = tables(gptDisk(4096, 4096, [{ type: LINUX, first: 256, last: 511 }]));
    expect(r.sectorSize).toBe(4096);
    expect(r.partitions.map((p) => [p.start, p.length])).toEqual([[MiB, MiB]]);
  });

  test("a header that says it lives elsewhere is not believed", () => {
    const disk = gptDisk(16384, 512, entries);
    const backup = disk.slice(16383 * 512, 16384 * 512);
    disk.set(backup, 512); // the backup's header copied into LBA 1
    const r = tables(disk);
    expect(r.notes[0]).toBe("primary GPT not used (header at LBA 1 says it belongs at LBA 16383); read the backup at LBA 16383");
  });

  test("a header size beyond the sector is refused", () => {
    const disk = gptDisk(16384, 512, entries);
    le32(disk, 512 + 12, 100000);
    expect(tables(disk).notes[0]).toContain("header size 100000 at LBA 1");
  });

  test("control characters in names come out escaped (C0 and C1), as every name from a disk", () => {
    const r = tables(gptDisk(16384, 512, [{ type: LINUX, first: 2048, last: 4095, name: "a\x1b[2J\x9bb\\" }]));
    expect(r.partitions[0]!.name).toBe("a\\x1b[2J\\x9bb\\\\");
  });
});

describe("BSD disklabels", () => {
  /** An MBR with one slice of `type` at sector 2048 of `sectors`, and a label in its sector 1. */
  function sliced(type: number, labelEntries: Parameters<typeof putBsdLabel>[2], opts?: Parameters<typeof putBsdLabel>[3], sectors = 14336) {
    const disk = new Uint8Array(8 * MiB);
    putRecord(disk, 0, [{ type, first: 2048, sectors }]);
    putBsdLabel(disk, 2049 * 512, labelEntries, opts);
    return disk;
  }

  test("FreeBSD (0xa5), offsets relative to partition c at 0: counted from the slice", () => {
    const r = tables(sliced(0xa5, [{ offset: 16, size: 8000, fstype: 7 }, { offset: 8016, size: 2000, fstype: 1 }, { offset: 0, size: 14336, fstype: 0 }]));
    const bsd = r.partitions.filter((p) => p.scheme === "bsd");
    expect(bsd.map((p) => [p.name, p.start / 512, p.length / 512, p.typeName])).toEqual([["a", 2064, 8000, "4.2BSD (UFS)"], ["b", 10064, 2000, "swap"]]);
    expect(bsd.map((p) => partitionId(p, r.partitions))).toEqual(["1a", "1b"]);
    expect(leafPartitions(r.partitions)).toEqual(bsd); // the slice holds them: not a volume of its own
  });

  test("FreeBSD (0xa5), absolute offsets (c at the slice start): the same partitions", () => {
    const r = tables(sliced(0xa5, [{ offset: 2064, size: 8000, fstype: 7 }, { offset: 10064, size: 2000, fstype: 1 }, { offset: 2048, size: 14336, fstype: 0 }]));
    expect(spans({ partitions: r.partitions.filter((p) => p.scheme === "bsd") })).toEqual([[2064, 8000], [10064, 2000]]);
  });

  test("NetBSD (0xa9): absolute offsets; c (the slice) and d (the disk) left out", () => {
    const r = tables(sliced(0xa9, [{ offset: 2112, size: 8000, fstype: 7 }, { offset: 10112, size: 1000, fstype: 1 }, { offset: 2048, size: 14336, fstype: 7 }, { offset: 0, size: 16384, fstype: 0 }, { offset: 12000, size: 100, fstype: 17 }]));
    const bsd = r.partitions.filter((p) => p.scheme === "bsd");
    expect(bsd.map((p) => [p.name, p.start / 512, p.length / 512])).toEqual([["a", 2112, 8000], ["b", 10112, 1000], ["e", 12000, 100]]);
    expect(bsd[2]!.typeName).toBe("ext2fs");
    expect(r.notes).toEqual([]);
  });

  test("OpenBSD (0xa6) version 1: 48-bit offsets and sizes, high parts where p_fsize was", () => {
    // A slice of 2^32 - 1 sectors from sector 2048 (2 TiB), a partition starting past 2^32.
    const disk = new Uint8Array(8 * MiB);
    putRecord(disk, 0, [{ type: 0xa6, first: 2048, sectors: 0xffffffff }]);
    putBsdLabel(disk, 2049 * 512, [{ offset: 64, offsetHigh: 1, size: 1000, fstype: 7 }], { version: 1 });
    const r = tables(disk);
    const a = r.partitions.find((p) => p.scheme === "bsd")!;
    expect([a.start, a.length]).toEqual([(2 ** 32 + 64) * 512, 1000 * 512]);
    expect(r.notes).toContain("bsd a: ends past the end of the disk");
    // The same bytes without version 1 are a 32-bit label: offset 64 lies before the slice.
    const v0 = new Uint8Array(8 * MiB);
    putRecord(v0, 0, [{ type: 0xa6, first: 2048, sectors: 0xffffffff }]);
    putBsdLabel(v0, 2049 * 512, [{ offset: 64, size: 1000, fstype: 7 }]);
    expect(tables(v0).notes.join("\n")).toContain("mbr 1: BSD partition a (sectors 64+1000) does not fit in its slice");
  });

  test("a label on the whole disk (no MBR): lettered ids, offsets from sector 0", () => {
    const disk = new Uint8Array(8 * MiB);
    putBsdLabel(disk, 512, [{ offset: 16, size: 10000, fstype: 7 }, { offset: 10016, size: 6000, fstype: 1 }, { offset: 0, size: 16384, fstype: 0 }]);
    const r = tables(disk);
    expect(r.table).toBe("bsd");
    expect(r.partitions.map((p) => partitionId(p, r.partitions))).toEqual(["a", "b"]);
    expect(spans(r)).toEqual([[16, 10000], [10016, 6000]]);
  });

  test("a bad checksum, too many partitions, or an odd sector size: ignored with a note", () => {
    const bad = sliced(0xa5, [{ offset: 2064, size: 8000, fstype: 7 }]);
    flip(bad, 2049 * 512 + 150, 0xff);
    expect(tables(bad).notes).toEqual(["mbr 1: BSD disklabel checksum mismatch, ignored"]);
    expect(tables(sliced(0xa5, [], { npartitions: 60000 })).notes).toEqual(["mbr 1: BSD disklabel claims 60000 partitions (at most 22), ignored"]);
    expect(tables(sliced(0xa5, [{ offset: 2064, size: 8000, fstype: 7 }], { secsize: 3 })).notes).toEqual(["mbr 1: BSD disklabel sector size 3, ignored"]);
  });

  test("a partition outside its slice is left out with a note", () => {
    const r = tables(sliced(0xa9, [{ offset: 100, size: 8000, fstype: 7 }, { offset: 2048, size: 99999, fstype: 7 }]));
    expect(r.partitions.filter((p) => p.scheme === "bsd")).toEqual([]);
    expect(r.notes).toHaveLength(2);
  });

  test("a GPT \"FreeBSD disklabel\" partition: the label inside, FreeBSD's offsets, ids like 2a", () => {
    const disk = gptDisk(16384, 512, [
      { type: LINUX, first: 2048, last: 4095 },
      { type: "516E7CB4-6ECF-11D6-8FF8-00022D09712B", first: 4096, last: 12287 },
    ]);
    putBsdLabel(disk, 4097 * 512, [{ offset: 16, size: 6000, fstype: 7 }, { offset: 6016, size: 2000, fstype: 1 }, { offset: 0, size: 8192, fstype: 0 }]);
    const r = tables(disk);
    const bsd = r.partitions.filter((p) => p.scheme === "bsd");
    expect(bsd.map((p) => [partitionId(p, r.partitions), p.start / 512, p.length / 512])).toEqual([["2a", 4112, 6000], ["2b", 10112, 2000]]);
  });

  test("a BSD slice without a label is just a slice", () => {
    const disk = new Uint8Array(8 * MiB);
    putRecord(disk, 0, [{ type: 0xa5, first: 2048, sectors: 100 }]);
    expect(tables(disk)).toMatchObject({ table: "mbr", notes: [], partitions: [{ scheme: "mbr", type: "0xa5", typeName: "FreeBSD" }] });
  });
});

test("GPT helper sanity: putGptHeader writes what the UEFI layout says (signature, LBA fields)", () => {
  const disk = new Uint8Array(64 * 1024);
  putGptHeader(disk, 512, 1, 127, 2, []);
  expect(new TextDecoder().decode(disk.subarray(512, 520))).toBe("EFI PART");
  expect(new DataView(disk.buffer).getUint32(512 + 80, true)).toBe(128);
});
