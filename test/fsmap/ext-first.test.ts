// What an ext filesystem asks a rescue to read first (`first`, stage 1 of --used-first): the
// recorded e2fsprogs view is checked in ext-differential.test.ts; here the cases the clean
// fixtures do not show: a journal waiting for replay, and descriptors whose counts cannot be
// trusted (read from a backup table).
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
  test("a clean journal waits for stage 2; one marked for replay (needs_recovery) comes first", () => {
    // ext3-2k: no descriptor checksums, so whole inode tables; the journal is all that differs.
    const clean = mapOf(image("ext3-2k"));
    const journal = subtractRanges(clean.metadata, clean.first!);
    expect(rangeBytes(journal)).toBeGreaterThan(1 << 20);
    const dirty = image("ext3-2k");
    const v = new DataView(dirty.buffer);
    v.setUint32(1024 + 0x60, v.getUint32(1024 + 0x60, true) | 0x4, true); // s_feature_incompat |= RECOVER
    const map = mapOf(dirty);
    expect(map.first).toEqual(map.metadata);
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
});
