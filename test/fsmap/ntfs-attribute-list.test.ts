// A fragmented $MFT whose run list continues in an extension record, named by record 0's
// $ATTRIBUTE_LIST. No small image made by mkntfs/ntfs-3g has one (it takes ~180 MFT fragments,
// a 12 MiB image that gzips to 450 KB: checked by hand against TSK `istat -f ntfs IMG 0`, every
// $MFT cluster in `metadata`), so this test rewrites the ntfs-c512 fixture's record 0 by hand,
// following the NTFS record layout: its one $DATA run (182 clusters at LCN 32) is split into a
// piece in record 0 (VCN 0..31) and a piece in record 12 (VCN 32..181).
import { describe, expect, test } from "bun:test";
import { FsMapError, type UsedSpace } from "../../src/fsmap/types.ts";
import { fsFixtureBytes, fsFixtures, memoryRead, usedSpaceOf, wholeDisk } from "./fixtures.ts";

const RECORD = 1024;
const MFT_LCN = 32;
const MFT_CLUSTERS = 182;
const SPLIT = 32;
const EXTENSION = 12;

const bytesLE = (v: number, n: number) => Array.from({ length: n }, (_, i) => Math.floor(v / 256 ** i) % 256);

/** One mapping pair: header, length, signed LCN delta (2 bytes each: enough here). */
const run = (length: number, delta: number) => [0x22, ...bytesLE(length, 2), ...bytesLE(delta < 0 ? 65536 + delta : delta, 2)];

function nonResident(type: number, startVcn: number, lastVcn: number, runs: number[], size: number): number[] {
  const body = [...runs, 0];
  while ((0x40 + body.length) % 8) body.push(0);
  const a = new Array<number>(0x40).fill(0);
  a.splice(0, 8, ...bytesLE(type, 4), ...bytesLE(0x40 + body.length, 4));
  a[8] = 1; // non-resident
  a.splice(0x0a, 2, 0x40, 0); // name offset
  a.splice(0x10, 16, ...bytesLE(startVcn, 8), ...bytesLE(lastVcn, 8));
  a.splice(0x20, 2, 0x40, 0); // run list offset
  a.splice(0x28, 24, ...bytesLE(MFT_CLUSTERS * 512, 8), ...bytesLE(size, 8), ...bytesLE(size, 8));
  return [...a, ...body];
}

function resident(type: number, value: number[]): number[] {
  const a = new Array<number>(0x18).fill(0);
  const length = 0x18 + value.length + ((8 - (value.length % 8)) % 8);
  a.splice(0, 8, ...bytesLE(type, 4), ...bytesLE(length, 4));
  a.splice(0x10, 6, ...bytesLE(value.length, 4), 0x18, 0);
  return [...a, ...value, ...new Array<number>(length - 0x18 - value.length).fill(0)];
}

/** A FILE record holding `attrs`, with its update sequence applied as a disk would hold it. */
function fileRecord(attrs: number[][]): number[] {
  const rec = new Array<number>(RECORD).fill(0);
  rec.splice(0, 4, 0x46, 0x49, 0x4c, 0x45); // "FILE"
  rec.splice(4, 4, 0x30, 0, 3, 0); // update sequence at 0x30, 3 entries
  rec.splice(0x14, 4, 0x38, 0, 1, 0); // first attribute at 0x38, in use
  let off = 0x38;
  for (const a of attrs) {
    rec.splice(off, a.length, ...a);
    off += a.length;
  }
  rec.splice(off, 4, 0xff, 0xff, 0xff, 0xff);
  rec.splice(0x18, 8, ...bytesLE(off + 8, 4), ...bytesLE(RECORD, 4));
  const usn = [0x07, 0x00];
  rec.splice(0x30, 6, ...usn, rec[510]!, rec[511]!, rec[1022]!, rec[1023]!);
  rec.splice(510, 2, ...usn);
  rec.splice(1022, 2, ...usn);
  return rec;
}

function listEntry(type: number, startVcn: number, record: number): number[] {
  return [...bytesLE(type, 4), 32, 0, 0, 26, ...bytesLE(startVcn, 8), ...bytesLE(record, 6), 1, 0, 0, 0, ...new Array<number>(6).fill(0)];
}

const fixture = fsFixtures.find((f) => f.name === "ntfs-c512")!;

function withExtension(list: number[][], extension: number[] | null, unreadable = false): UsedSpace {
  const img = fsFixtureBytes(fixture);
  const size = MFT_CLUSTERS * 512;
  const record0 = fileRecord([resident(0x20, list.flat()), nonResident(0x80, 0, SPLIT - 1, run(SPLIT, MFT_LCN), size)]);
  img.set(record0, MFT_LCN * 512);
  if (extension) img.set(extension, MFT_LCN * 512 + EXTENSION * RECORD);
  const bad = unreadable ? [{ start: MFT_LCN * 512 + EXTENSION * RECORD, length: RECORD }] : [];
  return usedSpaceOf(memoryRead(img, bad), wholeDisk(img));
}

const extension = fileRecord([nonResident(0x80, SPLIT, MFT_CLUSTERS - 1, run(MFT_CLUSTERS - SPLIT, MFT_LCN + SPLIT), -1)]);
const list = [listEntry(0x20, 0, 0), listEntry(0x80, 0, 0), listEntry(0x80, SPLIT, EXTENSION)];
const mftBytes = { start: MFT_LCN * 512, length: MFT_CLUSTERS * 512 };
const covers = (map: UsedSpace, r: { start: number; length: number }) => map.metadata.some((m) => m.start <= r.start && r.start + r.length <= m.start + m.length);

describe("NTFS: $MFT continued through an attribute list", () => {
  test("the extension record's runs are metadata too; the used map is unchanged", () => {
    const clean = usedSpaceOf(memoryRead(fsFixtureBytes(fixture)), wholeDisk(fsFixtureBytes(fixture)));
    const map = withExtension(list, extension);
    expect(covers(clean, mftBytes)).toBe(true);
    expect(covers(map, mftBytes)).toBe(true);
    expect(map).toEqual(clean);
  });

  test("without the attribute list entry, only record 0's piece is known", () => {
    const map = withExtension(list.slice(0, 2), extension);
    expect(covers(map, { start: MFT_LCN * 512, length: SPLIT * 512 })).toBe(true);
    expect(covers(map, mftBytes)).toBe(false);
  });

  test("an unreadable extension record ends the list early, without an error", () => {
    const map = withExtension(list, extension, true);
    expect(covers(map, mftBytes)).toBe(false);
    expect(map.unknown).toEqual([]);
  });

  test("a list with a gap, or an extension without the piece, is one line", () => {
    const gap = [listEntry(0x80, 0, 0), listEntry(0x80, SPLIT + 8, EXTENSION)];
    expect(() => withExtension(gap, extension)).toThrow(FsMapError);
    expect(() => withExtension(gap, extension)).toThrow("attribute list leaves a gap in $MFT's data at VCN 32");
    const other = fileRecord([nonResident(0x80, SPLIT + 1, MFT_CLUSTERS - 1, run(10, MFT_LCN + SPLIT), -1)]);
    expect(() => withExtension(list, other)).toThrow("NTFS MFT record 12: attribute piece starts at VCN 33, expected 32");
  });
});
