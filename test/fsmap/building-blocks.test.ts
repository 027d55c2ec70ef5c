// The small pieces under the FAT, exFAT and NTFS parsers: range lists, bitmap runs, NTFS run
// lists and signed deltas, FAT12 entry packing.
import { describe, expect, test } from "bun:test";
import { unionRanges, RangeBuilder } from "../../src/fsmap/ranges.ts";
import { setBitRuns } from "../../src/util/bit-runs.ts";
import { le, leSigned } from "../../src/fsmap/bytes.ts";
import { decodeRuns } from "../../src/fsmap/ntfs/runs.ts";
import { FatTable } from "../../src/fsmap/fat/table.ts";
import { FsMapError } from "../../src/fsmap/types.ts";

describe("ranges", () => {
  test("appends merge when they touch or overlap; gaps start a new range", () => {
    const l = new RangeBuilder();
    l.add(0, 10);
    l.add(10, 5);
    l.add(12, 1);
    l.add(20, 0);
    l.add(20, 4);
    expect(l.ranges).toEqual([{ start: 0, length: 15 }, { start: 20, length: 4 }]);
    expect(() => l.add(3, 1)).toThrow();
  });

  test("unionRanges sorts first", () => {
    expect(unionRanges([{ start: 30, length: 5 }, { start: 0, length: 10 }, { start: 5, length: 30 }])).toEqual([{ start: 0, length: 35 }]);
  });

  test("set bits become runs, least significant bit first, padding ignored", () => {
    expect([...setBitRuns(Uint8Array.of(0b11100001, 0xff, 0x00, 0x01, 0xff), 36)]).toEqual([[0, 1], [5, 11], [24, 1], [32, 4]]);
  });
});

describe("NTFS run lists", () => {
  test("lengths, signed LCN deltas and sparse runs", () => {
    // 0x21: 1-byte length 0x18, 2-byte LCN 0x0400; 0x11: 0x10 clusters, delta -0x20; 0x01: sparse 5.
    const runs = decodeRuns(Uint8Array.of(0x21, 0x18, 0x00, 0x04, 0x11, 0x10, 0xe0, 0x01, 0x05, 0x00), 0, 2000, "test");
    expect(runs).toEqual([{ vcn: 0, lcn: 1024, length: 24 }, { vcn: 24, lcn: 992, length: 16 }, { vcn: 40, lcn: null, length: 5 }]);
  });

  test("a run that leaves the volume, or runs past its bytes, is an FsMapError", () => {
    expect(() => decodeRuns(Uint8Array.of(0x11, 0x10, 0xff, 0x00), 0, 2000, "t")).toThrow(FsMapError); // LCN -1
    expect(() => decodeRuns(Uint8Array.of(0x21, 0x10, 0xd0, 0x07, 0x00), 0, 2000, "t")).toThrow("leaves the volume");
    expect(() => decodeRuns(Uint8Array.of(0x44, 0x10), 0, 2000, "t")).toThrow("runs past its attribute");
  });

  test("8-byte fields beyond 2^53 read as Infinity; signed fields keep their sign", () => {
    expect(le(new Uint8Array(8).fill(0xff), 0, 8)).toBe(Infinity);
    expect(leSigned(Uint8Array.of(0xfe, 0xff), 0, 2)).toBe(-2);
    expect(leSigned(Uint8Array.of(0x00, 0x80), 0, 2)).toBe(-32768);
  });
});

describe("FAT tables", () => {
  test("FAT12 packs two entries in three bytes", () => {
    const fat = Uint8Array.of(0xf0, 0xff, 0xff, 0x03, 0x40, 0x00, 0xff, 0x0f, 0x00);
    const t = new FatTable((o, l) => fat.subarray(o, o + l), { filesystem: "fat", bits: 12, copies: [0], bytes: fat.length, entries: 6 });
    expect([2, 3, 4, 5].map((n) => t.entry(n))).toEqual([3, 4, 0xfff, 0]);
    expect(t.chain(2, 4, "file")).toEqual({ clusters: [2, 3, 4], complete: true });
  });
});
