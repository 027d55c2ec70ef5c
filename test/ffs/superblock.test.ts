// Superblock search and validation on real images and on deliberately altered copies.
import { describe, expect, test } from "bun:test";
import { MemorySource } from "../../src/io/memory-source.ts";
import { findSuperblock } from "../../src/ffs/superblock.ts";
import { FfsError } from "../../src/ffs/errors.ts";
import { fixtureBytes, fixtures } from "./fixtures.ts";

const find = (data: Uint8Array) => findSuperblock(new MemorySource(data));
const put32 = (d: Uint8Array, off: number, v: number, big: boolean) => new DataView(d.buffer, d.byteOffset).setUint32(off, v >>> 0, !big);

describe("superblock search", () => {
  for (const f of fixtures) {
    test(`${f.name}: ${f.variant} ${f.bigEndian ? "BE" : "LE"}`, () => {
      const sb = find(fixtureBytes(f.name));
      expect(sb.variant).toBe(f.variant);
      expect(sb.bigEndian).toBe(f.bigEndian);
      // makefs (NetBSD) puts even UFS2 at 8192; FreeBSD newfs UFS2 at 65536.
      const freebsdUfs2 = /^(ffs\.bin|ufs-|deleted_ufs2_freebsd)/.test(f.name);
      expect(sb.location).toBe(freebsdUfs2 ? 65536 : 8192);
    });
  }

  test("a UFS1 magic at 65536 is taken for a backup, not the primary", () => {
    const d = fixtureBytes("makefs_ufs1_le.img.gz");
    const copy = new Uint8Array(d.length + 65536);
    // Put a copy of the superblock at 65536 and destroy the one at 8192.
    copy.set(d);
    copy.set(d.subarray(8192, 16384), 65536);
    copy.fill(0, 8192, 16384);
    expect(() => find(copy)).toThrow(/backup/);
  });

  test("UFS2 at 8192 is accepted only when fs_sblockloc says 8192", () => {
    const d = fixtureBytes("makefs_ufs2_le.img.gz");
    expect(find(d).location).toBe(8192);
    const bad = d.slice();
    new DataView(bad.buffer).setBigInt64(8192 + 1000, 65536n, true);
    expect(() => find(bad)).toThrow(/belongs at 65536/);
  });

  const other: Array<[number, RegExp]> = [
    [0x19960408, /not supported: FreeBSD FS_BAD_MAGIC/],
    [0x00decade, /not supported: Solaris/],
    [0x00095014, /not supported: HP-UX/],
  ];
  for (const [magic, msg] of other) {
    test(`magic 0x${magic.toString(16)} gets a clear "not supported" message`, () => {
      for (const big of [false, true]) {
        const d = fixtureBytes("makefs_ufs1_le.img.gz").slice();
        put32(d, 8192 + 1372, magic, big);
        expect(() => find(d)).toThrow(msg);
      }
    });
  }

  test("no magic anywhere: one clear FfsError", () => {
    expect(() => find(new Uint8Array(1 << 20))).toThrow(FfsError);
    expect(() => find(new Uint8Array(1 << 20))).toThrow(/no valid UFS1\/UFS2 superblock/);
    expect(() => find(new Uint8Array(100))).toThrow(FfsError);
  });

  test("absurd geometry is rejected with the reason", () => {
    const d = fixtureBytes("makefs_ufs1_be.img.gz").slice();
    put32(d, 8192 + 48, 12345, true); // fs_bsize
    expect(() => find(d)).toThrow(/bad block size 12345/);
    const e = fixtureBytes("makefs_ufs1_be.img.gz").slice();
    put32(e, 8192 + 44, 0x7fffffff, true); // fs_ncg
    expect(() => find(e)).toThrow(/more cylinder groups/);
  });

  test("an unreadable superblock area is reported, not fatal to the search", () => {
    const d = fixtureBytes("ffs.bin.gz");
    // FreeBSD UFS2 at 65536: damage there leaves no valid superblock (8192 holds none).
    const src = new MemorySource(d, { bad: [[65536, 65536 + 512]] });
    expect(() => findSuperblock(src)).toThrow(/unreadable/);
  });
});
