// Damaged and hostile ext metadata: unreadable places become `unknown` (never zeros), absurd
// values give one FsMapError line, and random byte flips never crash or hang the parser.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { extParser } from "../../src/fsmap/ext/index.ts";
import { FsMapError, type ByteRange, type ReadBytes, type Volume } from "../../src/fsmap/types.ts";
import { fuzzExt, loadExtImages } from "../../scripts/fuzz-ext.ts";
import { subtractRanges } from "../../src/fsmap/ranges.ts";
import { extImagePath, extNames, imageReader } from "./ext-cases.ts";

const image = (name: string) => new Uint8Array(readFileSync(extImagePath(name)));
const whole = (bytes: Uint8Array): Volume => ({ start: 0, length: bytes.length, label: "whole disk" });
const total = (rs: ByteRange[]) => rs.reduce((n, r) => n + r.length, 0);
const overlaps = (rs: ByteRange[], start: number, length: number) => rs.some((r) => r.start < start + length && start < r.start + r.length);

/** A reader that says "unreadable" for any read touching [start, start + length). */
function withHole(bytes: Uint8Array, start: number, length: number): ReadBytes {
  const read = imageReader(bytes);
  return (o, n) => (o < start + length && start < o + n ? null : read(o, n));
}

function errorOf(bytes: Uint8Array): string {
  try {
    extParser.usedSpace(imageReader(bytes), whole(bytes));
    return "accepted";
  } catch (e) {
    if (!(e instanceof FsMapError)) throw e;
    expect(e.message).not.toContain("\n");
    return e.message;
  }
}

function patched(name: string, offset: number, value: number, width: 2 | 4 = 4): Uint8Array {
  const b = image(name);
  const v = new DataView(b.buffer);
  if (width === 4) v.setUint32(offset, value, true);
  else v.setUint16(offset, value, true);
  return b;
}

describe("detection and names", () => {
  test("the magic decides; small or foreign volumes are not ext", () => {
    const zeros = new Uint8Array(1 << 20);
    expect(extParser.detect(imageReader(zeros), whole(zeros))).toBe(false);
    const bytes = image("ext2-1k");
    expect(extParser.detect(imageReader(bytes), { start: 0, length: 2047, label: "tiny" })).toBe(false);
  });

  test("ext2, ext3 and ext4 are told apart by their features, the unit is the cluster", () => {
    const named = (n: string) => {
      const bytes = image(n);
      const m = extParser.usedSpace(imageReader(bytes), whole(bytes));
      return `${m.filesystem} ${m.unit}`;
    };
    expect(["ext2-1k", "ext3-2k", "ext4-64bit", "ext4-bigalloc"].map(named)).toEqual(["ext2 1024", "ext3 2048", "ext4 4096", "ext4 4096"]);
  });
});

describe("unreadable metadata becomes unknown, never free", () => {
  test("an unreadable block bitmap makes its group unknown, except the metadata known inside it", () => {
    const bytes = image("ext2-1k");
    const good = extParser.usedSpace(imageReader(bytes), whole(bytes));
    // ext2-1k group 1 (blocks 8193-16384 do not exist: 8 MiB has one group of 8192)... use the
    // bitmap the descriptor names: block bitmap of group 0 is the first u32 of the table at block 2.
    const bitmap = new DataView(bytes.buffer).getUint32(2 * 1024, true);
    const map = extParser.usedSpace(withHole(bytes, bitmap * 1024, 1024), whole(bytes));
    expect(total(map.unknown)).toBeGreaterThan(0);
    // Every block is used or unknown or was free anyway; nothing known-used was lost.
    for (const u of good.used) expect(overlaps(map.used, u.start, u.length) || overlaps(map.unknown, u.start, u.length)).toBe(true);
    expect(map.metadata).toEqual(good.metadata);
    for (const u of map.unknown) expect(overlaps(map.used, u.start, u.length)).toBe(false);
  });

  test("an unreadable primary descriptor table is read from a backup", () => {
    const bytes = image("ext4-32bit");
    const good = extParser.usedSpace(imageReader(bytes), whole(bytes));
    const map = extParser.usedSpace(withHole(bytes, 2 * 1024, 1024), whole(bytes));
    // A backup's BLOCK_UNINIT flags may be stale, so those groups are unknown; the rest agrees.
    expect(total(map.unknown)).toBeGreaterThan(0);
    for (const u of good.used) expect(overlaps(map.used, u.start, u.length) || overlaps(map.unknown, u.start, u.length)).toBe(true);
    expect(map.metadata).toEqual(good.metadata);
  });

  test("ext2 without checksums reads every bitmap from a backup descriptor table alike", () => {
    const bytes = image("ext2-nosparse");
    const good = extParser.usedSpace(imageReader(bytes), whole(bytes));
    expect(extParser.usedSpace(withHole(bytes, 2 * 1024, 1024), whole(bytes))).toEqual(good);
  });

  test("an unreadable primary superblock is replaced by the backup in group 1", () => {
    const bytes = image("ext3-1k-default");
    const good = extParser.usedSpace(imageReader(bytes), whole(bytes));
    const read = withHole(bytes, 1024, 1024);
    expect(extParser.detect(read, whole(bytes))).toBe(true);
    expect(extParser.usedSpace(read, whole(bytes))).toEqual(good);
  });

  test("an unreadable superblock with no backup where mke2fs puts it is not detected, and usedSpace says so in one line", () => {
    const bytes = image("ext3-2k");
    const read = withHole(bytes, 1024, 1);
    expect(extParser.detect(read, whole(bytes))).toBe(false);
    expect(() => extParser.usedSpace(read, whole(bytes))).toThrow(FsMapError);
  });
});

describe("absurd superblock values: one line, no crash", () => {
  const cases: Array<[string, number, number, 2 | 4, RegExp]> = [
    ["block count beyond the volume", 0x4, 0x7fffffff, 4, /claims \d+ blocks of 1024 bytes/],
    ["block count zero", 0x4, 0, 4, /absurd block count/],
    ["huge log block size", 0x18, 40, 4, /absurd block size/],
    ["blocks per group zero", 0x20, 0, 4, /clusters per group/],
    ["blocks per group tiny", 0x20, 8, 4, /clusters per group/],
    ["blocks per group beyond a bitmap", 0x20, 1 << 20, 4, /clusters per group/],
    ["inodes per group zero", 0x28, 0, 4, /inodes per group/],
    ["inode count disagrees", 0x0, 12345, 4, /inodes is not/],
    ["inode size 7", 0x58, 7, 2, /inode size/],
    ["reserved GDT blocks absurd", 0xce, 60000, 2, /reserved GDT/],
    ["first data block wrong", 0x14, 5, 4, /first data block/],
    ["revision 9", 0x4c, 9, 4, /revision/],
  ];
  for (const [what, off, value, width, msg] of cases) test(what, () => expect(errorOf(patched("ext2-1k", 1024 + off, value, width))).toMatch(msg));
  test("64bit descriptor size not a power of two", () => expect(errorOf(patched("ext4-64bit", 1024 + 0xfe, 48, 2))).toMatch(/descriptor size/));
  test("external journal device", () => expect(errorOf(patched("ext3-2k", 1024 + 0x60, 0x8))).toMatch(/journal device/));
  test("no magic", () => expect(errorOf(patched("ext3-2k", 1024 + 0x38, 0x1234, 2))).toMatch(/not an ext/));
});

describe("group descriptors are checked before they are believed", () => {
  const mapOf = (bytes: Uint8Array) => extParser.usedSpace(imageReader(bytes), whole(bytes));
  /** Group `g`'s descriptor in every copy of the table (1 KiB blocks, 32-byte descriptors). */
  const copies = (bytes: Uint8Array, tableBlocks: number[], g: number, edit: (v: DataView, at: number) => void) => {
    const v = new DataView(bytes.buffer);
    for (const b of tableBlocks) edit(v, b * 1024 + g * 32);
    return bytes;
  };
  const pastEnd = (v: DataView, at: number) => v.setUint32(at, 0xffffff, true); // block bitmap

  test("a descriptor pointing past the end is read from a backup table", () => {
    const good = mapOf(image("ext2-nosparse"));
    expect(mapOf(copies(image("ext2-nosparse"), [2], 1, pastEnd))).toEqual(good);
  });

  test("with no sound copy, the group is unknown (but its known metadata stays used)", () => {
    // ext2-nosparse has a table copy in each of its 4 groups.
    const map = mapOf(copies(image("ext2-nosparse"), [2, 1026, 2050, 3074], 1, pastEnd));
    const group1 = { start: 1025 * 1024, length: 1024 * 1024 };
    expect(overlaps(map.unknown, group1.start, group1.length)).toBe(true);
    expect(overlaps(map.used, 1025 * 1024, 1024)).toBe(true); // group 1's superblock copy
    for (const u of map.unknown) expect(u.start >= group1.start && u.start + u.length <= group1.start + group1.length).toBe(true);
  });

  // ext4-32bit (metadata_csum) and ext4-uninit-bg (CRC-16): group 1 holds data, groups 3+ are
  // BLOCK_UNINIT. Setting the flag without fixing the checksum must not make group 1 free.
  const forge = (v: DataView, at: number) => v.setUint16(at + 0x12, v.getUint16(at + 0x12, true) | 2, true);
  for (const name of ["ext4-32bit", "ext4-uninit-bg"]) {
    test(`${name}: a forged BLOCK_UNINIT in the primary table is caught by the checksum`, () => {
      const good = mapOf(image(name));
      // The same map; only `first` grows: a backup's itable_unused may be as old as mkfs, so
      // group 1's whole inode table is read first.
      const map = mapOf(copies(image(name), [2], 1, forge));
      expect({ ...map, first: [] }).toEqual({ ...good, first: [] });
      expect(subtractRanges(good.first!, map.first!)).toEqual([]);
    });
    test(`${name}: forged in every copy, the group is unknown, never free`, () => {
      const good = mapOf(image(name));
      const map = mapOf(copies(image(name), [2, 1026, 3074, 5122], 1, forge));
      expect(total(map.unknown)).toBeGreaterThan(0);
      for (const u of good.used) expect(overlaps(map.used, u.start, u.length) || overlaps(map.unknown, u.start, u.length)).toBe(true);
    });
  }
});

describe("a hostile journal inode costs bounded time and stays inside the filesystem", () => {
  // Inode 8 sits at index 7 of group 0's inode table (dumpe2fs: ext4-64bit's table at block 73
  // of 4096 bytes, ext3-2k's at block 67 of 2048; 256-byte inodes). i_block is at +0x28.
  const journalInode = (bytes: Uint8Array, table: number, blockSize: number) => table * blockSize + 7 * 256;
  const timed = (bytes: Uint8Array) => {
    const t0 = performance.now();
    const map = extParser.usedSpace(imageReader(bytes), whole(bytes));
    expect(performance.now() - t0).toBeLessThan(3000);
    for (const r of map.metadata) expect(r.start + r.length <= bytes.length).toBe(true);
    return map;
  };

  test("an extent tree whose index blocks point at themselves", () => {
    const bytes = image("ext4-64bit");
    const v = new DataView(bytes.buffer);
    const at = journalInode(bytes, 73, 4096) + 0x28;
    const loop = 200; // a free block that becomes a self-referencing index node
    const node = (o: number, entries: number, depth: number, child: number) => {
      v.setUint16(o, 0xf30a, true);
      v.setUint16(o + 2, entries, true);
      v.setUint16(o + 4, entries, true);
      v.setUint16(o + 6, depth, true);
      for (let i = 0; i < entries; i++) v.setUint32(o + 12 + i * 12 + 4, child, true);
    };
    node(at, 4, 5, loop);
    node(loop * 4096, 340, 5, loop); // claims depth 5 again: refused, it must shrink
    timed(bytes);
    node(loop * 4096, 340, 4, loop); // shrinks each time, but always points back at itself
    timed(bytes);
  });

  test("a block map whose indirect blocks point at themselves", () => {
    const bytes = image("ext3-2k");
    const v = new DataView(bytes.buffer);
    const at = journalInode(bytes, 67, 2048);
    v.setUint32(at + 4, 0xffffffff, true); // i_size: as large as it gets
    const self = 3000;
    for (let i = 12; i < 15; i++) v.setUint32(at + 0x28 + i * 4, self, true);
    for (let i = 0; i < 512; i++) v.setUint32(self * 2048 + i * 4, self, true);
    timed(bytes);
  });
});

describe("a volume at an offset, and a huge one", () => {
  test("offsets are absolute: a filesystem behind 1 MiB maps to the same ranges shifted", () => {
    const bytes = image("ext4-64bit");
    const pad = 1 << 20;
    const disk = new Uint8Array(pad + bytes.length + 4096).fill(0x5a);
    disk.set(bytes, pad);
    const volume = { start: pad, length: bytes.length, label: "mbr 1" };
    const shift = (rs: ByteRange[]) => rs.map((r) => ({ start: r.start + pad, length: r.length }));
    const good = extParser.usedSpace(imageReader(bytes), whole(bytes));
    expect(extParser.detect(imageReader(disk), volume)).toBe(true);
    const map = extParser.usedSpace(imageReader(disk), volume);
    expect([map.used, map.metadata, map.unknown]).toEqual([shift(good.used), shift(good.metadata), shift(good.unknown)]);
    expect(map.volume).toEqual(volume);
  });

  test("16 TiB whose 131072 descriptors scatter their tables at random: bounded time", () => {
    // A synthetic ext2 (4 KiB blocks, 32768 per group): the superblock, descriptor blocks made
    // on the fly with pseudo-random places, and zeros for every bitmap.
    const bs = 4096;
    const blocks = 2 ** 32 - 1;
    const groups = Math.ceil(blocks / 32768);
    const sbBytes = new Uint8Array(1024);
    const v = new DataView(sbBytes.buffer);
    v.setUint32(0x0, groups * 8192, true);
    v.setUint32(0x4, blocks, true);
    v.setUint32(0x18, 2, true);
    v.setUint32(0x20, 32768, true);
    v.setUint32(0x24, 32768, true);
    v.setUint32(0x28, 8192, true);
    v.setUint16(0x38, 0xef53, true);
    v.setUint32(0x4c, 1, true);
    v.setUint16(0x58, 128, true);
    const tableBlocks = groups * 32 / bs;
    let x = 99;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const read: ReadBytes = (o, n) => {
      if (o === 1024 && n === 1024) return sbBytes;
      const block = o / bs;
      const out = new Uint8Array(n);
      if (block >= 1 && block <= tableBlocks && n === bs) {
        const d = new DataView(out.buffer);
        for (let i = 0; i < bs / 32; i++) for (const f of [0, 4, 8]) d.setUint32(i * 32 + f, 2000 + (next() % (blocks - 3000)), true);
      }
      return out;
    };
    const t0 = performance.now();
    const map = extParser.usedSpace(read, { start: 0, length: blocks * bs, label: "synthetic disk" });
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(map.metadata.length).toBeGreaterThan(groups);
  }, 60_000);

  test("a 16 TiB filesystem whose descriptors are unreadable: every group unknown, quickly", () => {
    // Only the superblock exists: a 4 KiB-block ext4 of 2^32 blocks in 131072 groups.
    const sbBytes = image("ext4-64bit").slice(1024, 2048);
    const v = new DataView(sbBytes.buffer);
    const blocks = 2 ** 32;
    v.setUint32(0x4, 0, true);
    v.setUint32(0x150, 1, true);
    const groups = blocks / 32768;
    v.setUint32(0x20, 32768, true);
    v.setUint32(0x24, 32768, true);
    v.setUint32(0x0, groups * v.getUint32(0x28, true), true);
    const volume = { start: 0, length: blocks * 4096, label: "huge disk" };
    const read: ReadBytes = (o, n) => (o === 1024 && n === 1024 ? sbBytes : null);
    const t0 = performance.now();
    const map = extParser.usedSpace(read, volume);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(total(map.unknown) + total(map.used)).toBe(volume.length);
  }, 30_000);
});

test("300 mutated images (scripts/fuzz-ext.ts): no crash, no hang, one clear line per refusal", () => {
  const r = fuzzExt(loadExtImages(), 300, 20261129);
  expect(r.failures).toEqual([]);
  expect(r.accepted + r.rejected).toBe(300);
  expect(r.rejected).toBeGreaterThan(15); // the mutations do reach the validation
  expect(r.slowest).toBeLessThan(2000);
}, 120_000);
