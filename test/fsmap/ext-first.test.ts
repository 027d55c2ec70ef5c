// What an ext filesystem asks a rescue to read first (`first`, stage 1 of --used-first): the
// recorded e2fsprogs view is checked in ext-differential.test.ts; here the cases the clean
// fixtures do not show: a journal waiting for replay, and descriptors whose counts cannot be
// trusted (read from a backup table); backups of the fixed metadata wait unless the parse
// needed them.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { extParser } from "../../src/fsmap/ext/index.ts";
import { rangeBytes, subtractRanges } from "../../src/fsmap/ranges.ts";
import type { ReadBytes, Volume } from "../../src/fsmap/types.ts";
import { extImagePath, imageReader } from "./ext-cases.ts";

const image = (name: string) => new Uint8Array(readFileSync(extImagePath(name)));
const whole = (bytes: Uint8Array): Volume => ({ start: 0, length: bytes.length, label: "whole disk" });
const mapOf = (bytes: Uint8Array, read: ReadBytes = imageReader(bytes)) => extParser.usedSpace(read, whole(bytes));

describe("ext: the metadata a rescue reads first", () => {
  test("backup superblocks, backup descriptor tables and reserved GDT blocks are not read first", () => {
    // ext3-1k-default: sparse_super backups in groups 1, 3, 5, 7..., reserved GDT blocks after each.
    const map = mapOf(image("ext3-1k-default"));
    const later = subtractRanges(map.metadata, map.first!);
    const at = (block: number) => later.some((r) => r.start <= block * 1024 && block * 1024 < r.start + r.length);
    expect(at(8193)).toBe(true); // group 1's backup superblock
    expect(at(8194)).toBe(true); // and its descriptor table
    expect(at(3)).toBe(true); // group 0's reserved GDT blocks
    const first = (block: number) => map.first!.some((r) => r.start <= block * 1024 && block * 1024 < r.start + r.length);
    expect(first(1)).toBe(true); // the primary superblock
    expect(first(2)).toBe(true); // the primary descriptor table
  });

  test("a clean journal waits for stage 2; one marked for replay (needs_recovery) comes first", () => {
    // ext3-2k: no descriptor checksums, so whole inode tables; the journal is all that differs.
    const clean = mapOf(image("ext3-2k"));
    // What is metadata but not first: the journal, and the backup superblocks and descriptor
    // tables with their reserved blocks (a few blocks each).
    const later = subtractRanges(clean.metadata, clean.first!);
    expect(rangeBytes(later)).toBeGreaterThan(1 << 20);
    const dirty = image("ext3-2k");
    const v = new DataView(dirty.buffer);
    v.setUint32(1024 + 0x60, v.getUint32(1024 + 0x60, true) | 0x4, true); // s_feature_incompat |= RECOVER
    const map = mapOf(dirty);
    // Only the journal joins what comes first.
    const journal = subtractRanges(map.first!, clean.first!);
    expect(rangeBytes(journal)).toBeGreaterThan(1 << 20);
    expect(subtractRanges(journal, later)).toEqual([]);
    expect(rangeBytes(subtractRanges(later, journal))).toBeLessThan(1 << 20);
    expect(map.used).toEqual(clean.used);
  });

  test("never-used inode-table tails are left out only while the primary descriptors vouch for them", () => {
    const bytes = image("ext4-64bit"); // metadata_csum, 4 KiB blocks, primary descriptors in block 1
    const good = mapOf(bytes);
    expect(rangeBytes(good.first!)).toBeLessThan(rangeBytes(good.metadata) / 2);
    // The primary descriptor block unreadable: the backup's counts may be as old as mkfs, so
    // every table is read whole (the unreadable block itself is still asked for).
    const read = imageReader(bytes);
    const fromBackup = mapOf(bytes, (o, n) => (o < 8192 && o + n > 4096 ? null : read(o, n)));
    expect(fromBackup.metadata).toEqual(good.metadata);
    expect(subtractRanges(good.first!, fromBackup.first!)).toEqual([]);
    const tables = subtractRanges(fromBackup.first!, good.first!);
    expect(rangeBytes(tables)).toBeGreaterThan(0);
    expect(subtractRanges(tables, good.metadata)).toEqual([]);
  });

  test("a primary descriptor block not rescued yet (ReadBytes.pending): no backup is asked for; an unreadable one: a backup is", () => {
    const bytes = image("ext4-64bit"); // 4 KiB blocks: primary descriptors in block 1, backups in groups 1 and 3
    const read = imageReader(bytes);
    const primary = (o: number, n: number) => o < 8192 && o + n > 4096;
    const askedWith = (pending: boolean) => {
      const asked: number[] = [];
      const reader = Object.assign((o: number, n: number) => (asked.push(o), primary(o, n) ? null : read(o, n)), { pending: (o: number, n: number) => pending && primary(o, n) });
      mapOf(bytes, reader);
      return asked;
    };
    const backupBlocks = [1025, 3073].map((b) => b * 4096);
    expect(askedWith(true).filter((o) => backupBlocks.includes(o))).toEqual([]);
    expect(askedWith(false).filter((o) => backupBlocks.includes(o)).length).toBeGreaterThan(0);
  });
});
