// The FAT, exFAT and NTFS parsers on damaged and hostile versions of the fixtures: unreadable
// metadata falls back to the other copy (second FAT, $MFTMirr, backup boot region) or becomes
// `unknown`, never zeros; hostile metadata (loops, runs off the volume, absurd sizes) is one
// FsMapError line; a volume inside a bigger disk gives the same map, shifted.
import { describe, expect, test } from "bun:test";
import { FsMapError, type ByteRange, type UsedSpace } from "../../src/fsmap/types.ts";
import { unionRanges } from "../../src/fsmap/ranges.ts";
import { le } from "../../src/fsmap/bytes.ts";
import { applyFixups, dataAttribute } from "../../src/fsmap/ntfs/record.ts";
import { runRanges } from "../../src/fsmap/ntfs/runs.ts";
import { fsFixtureBytes, fsFixtures, memoryRead, usedSpaceOf, wholeDisk } from "./fixtures.ts";

const fixture = (name: string) => fsFixtures.find((f) => f.name === name)!;
const images = new Map<string, Uint8Array>();
const image = (name: string) => images.get(name) ?? (images.set(name, fsFixtureBytes(fixture(name))), images.get(name)!);
const clean = (name: string) => usedSpaceOf(memoryRead(image(name)), wholeDisk(image(name)));

function mapWith(name: string, patches: Array<[number, number[]]>, unreadable: ByteRange[] = []): UsedSpace {
  const img = image(name).slice();
  for (const [offset, bytes] of patches) img.set(bytes, offset);
  return usedSpaceOf(memoryRead(img, unreadable), wholeDisk(img));
}

/** The one-line FsMapError message that `f` throws. */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FsMapError);
    const message = (e as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("no error thrown");
}

/** `ranges` with `hole` cut out. */
function without(ranges: ByteRange[], hole: ByteRange): ByteRange[] {
  const out: ByteRange[] = [];
  for (const r of ranges) {
    const end = r.start + r.length;
    if (r.start < hole.start) out.push({ start: r.start, length: Math.min(end, hole.start) - r.start });
    if (end > hole.start + hole.length) out.push({ start: Math.max(r.start, hole.start + hole.length), length: end - Math.max(r.start, hole.start + hole.length) });
  }
  return unionRanges(out);
}

const u32 = (x: number) => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24];

describe("FAT", () => {
  // fat16: 4 reserved sectors, two FATs of 32 sectors, 2 KiB clusters, data area at sector 100.
  const fat1 = 4 * 512, fat2 = 36 * 512, data = 100 * 512;

  test("an unreadable first FAT is read from the second", () => {
    expect(mapWith("fat16", [], [{ start: fat1, length: 512 }])).toEqual(clean("fat16"));
  });

  test("a FAT piece no copy can read makes its clusters unknown, not free", () => {
    // Unreadable in both copies: the first 3-sector piece (768 16-bit entries): clusters 2..767.
    const map = mapWith("fat16", [], [{ start: fat1, length: 512 }, { start: fat2, length: 512 }]);
    const lost = { start: data, length: 766 * 2048 };
    expect(map.unknown).toEqual([lost]);
    expect(map.used).toEqual(without(clean("fat16").used, lost));
    expect(map.metadata).toEqual(clean("fat16").metadata);
  });

  test("a FAT chunk is put together from the pieces each copy can give", () => {
    // Neither copy can give the first 12 KiB whole: copy 1 loses its pieces 0 and 3 (3 sectors
    // each), copy 2 its piece 1; every piece is still in one of them.
    const pieces = [{ start: fat1, length: 1536 }, { start: fat1 + 3 * 1536, length: 1536 }, { start: fat2 + 1536, length: 1536 }];
    expect(mapWith("fat16", [], pieces)).toEqual(clean("fat16"));
    const map = mapWith("fat16", [], [{ start: fat1, length: 12288 }, { start: fat2, length: 12288 }]);
    expect(map.unknown).toEqual([{ start: data, length: 6142 * 2048 }]);
  });

  test("a FAT32 root directory chain that loops is one line", () => {
    // Root directory: cluster 2 first. Point its last cluster back at cluster 2 in both FATs.
    const img = image("fat32");
    const fatAt = 32 * 512, fatBytes = 630 * 512;
    let c = 2;
    while (le(img, fatAt + c * 4, 4) < 0x0ffffff8) c = le(img, fatAt + c * 4, 4);
    const message = errorOf(() => mapWith("fat32", [[fatAt + c * 4, u32(2)], [fatAt + fatBytes + c * 4, u32(2)]]));
    expect(message).toBe("whole disk: FAT32 root directory: cluster chain loops back to cluster 2");
  });

  test("a FAT32 root directory chain that leaves the volume is one line", () => {
    expect(errorOf(() => mapWith("fat32", [[32 * 512 + 8, u32(0x0ffffff0)]]))).toContain("outside 2..80629");
  });

  test("absurd boot sector numbers are one line each", () => {
    expect(errorOf(() => mapWith("fat12", [[19, [0xff, 0xff]]]))).toContain("claims 33553920 bytes but the volume has 1474560");
    expect(errorOf(() => mapWith("fat12", [[22, [0, 0]]]))).toContain("FAT32 with 224 fixed root entries");
    expect(errorOf(() => mapWith("fat16", [[22, [1, 0]]]))).toContain("a FAT of 1 sectors cannot hold");
    expect(errorOf(() => mapWith("fat32", [[44, u32(0x7fffffff)]]))).toContain("root directory cluster 2147483647 is outside");
    expect(errorOf(() => mapWith("fat32", [[36, u32(0x7fffffff)]]))).toContain("fills the whole volume");
  });
});

describe("NTFS", () => {
  // 4 KiB clusters, MFT at cluster 4 (1 KiB records), $Bitmap's data at cluster 263.
  const mft = 4 * 4096;

  test("a torn $MFT record is read from $MFTMirr", () => {
    // Byte 510 of record 0 is an update-sequence check: changing it fails the fixup.
    expect(mapWith("ntfs", [[mft + 510, [0x99]]])).toEqual(clean("ntfs"));
    expect(mapWith("ntfs", [], [{ start: mft, length: 1024 }])).toEqual(clean("ntfs"));
  });

  test("an unreadable $Bitmap makes every cluster unknown", () => {
    const map = mapWith("ntfs", [], [{ start: 263 * 4096, length: 4096 }]);
    expect(map.used).toEqual([]);
    expect(map.unknown).toEqual([{ start: 0, length: 2047 * 4096 }]);
  });

  test("one unreadable $Bitmap cluster costs only the clusters it describes", () => {
    // ntfs-c512: 512-byte clusters; $Bitmap's 1024 bytes are two clusters, each describing 4096
    // clusters. Where its second cluster is: record 6's run list.
    const img = image("ntfs-c512");
    const mftAt = le(img, 0x30, 8) * 512;
    const bitmap = dataAttribute(applyFixups(img.slice(mftAt + 6 * 1024, mftAt + 7 * 1024), "record 6"), 8191, "record 6");
    if (!bitmap || bitmap.resident) throw new Error("$Bitmap should be non-resident");
    const second = runRanges(bitmap.runs, 512).flatMap((r) => Array.from({ length: r.length / 512 }, (_, i) => r.start + i * 512))[1]!;
    const map = mapWith("ntfs-c512", [], [{ start: second, length: 512 }]);
    const lost = { start: 4096 * 512, length: (8191 - 4096) * 512 };
    expect(map.unknown).toEqual([lost]);
    expect(map.used).toEqual(without(clean("ntfs-c512").used, lost));
  });

  test("a $Bitmap run that leaves the volume is one line", () => {
    // Record 6's $DATA run list at offset 256 + 0x40: one run, 2-byte LCN 0x7fff.
    const runs = mft + 6 * 1024 + 256 + 0x40;
    expect(errorOf(() => mapWith("ntfs", [[runs, [0x21, 0x01, 0xff, 0x7f, 0x00]]]))).toBe("whole disk: NTFS MFT record 6: run list leaves the volume: clusters 32767..32767 of 2047");
    expect(errorOf(() => mapWith("ntfs", [[runs, [0x91, 0x01]]]))).toContain("run list header byte 0x91");
  });

  test("a torn $Bitmap record is one line", () => {
    expect(errorOf(() => mapWith("ntfs", [[mft + 6 * 1024 + 510, [0x99]]]))).toBe("whole disk: NTFS MFT record 6: sector 0 fails its fixup check (a torn write)");
  });

  test("absurd boot sector numbers are one line each", () => {
    expect(errorOf(() => mapWith("ntfs", [[0x28, [0, 0, 0, 0, 0, 0, 0, 0x40]]]))).toContain("claims");
    expect(errorOf(() => mapWith("ntfs", [[0x30, [0, 0, 0, 0, 0, 0, 0xff, 0xff]]]))).toContain("MFT at cluster Infinity");
    expect(errorOf(() => mapWith("ntfs", [[0x40, [0x7f]]]))).toContain("MFT record size");
    expect(errorOf(() => mapWith("ntfs", [[0x0d, [3]]]))).toContain("sectors per cluster byte 0x3");
  });
});

describe("exFAT", () => {
  // 512-byte sectors, 4 KiB clusters; FAT at sector 2048, heap at 4096; bitmap cluster 2,
  // up-case table 3..4, root directory cluster 5.
  const fat = 2048 * 512, heap = 4096 * 512;
  const cluster = (c: number) => heap + (c - 2) * 4096;

  test("a main boot region that fails its checksum is replaced by the backup", () => {
    expect(mapWith("exfat", [[1024, [0x42]]])).toEqual(clean("exfat"));
    expect(mapWith("exfat", [], [{ start: 512, length: 512 }])).toEqual(clean("exfat"));
  });

  test("both boot regions failing is one line", () => {
    expect(errorOf(() => mapWith("exfat", [[1024, [0x42]], [13 * 512, [0x42]]]))).toBe("whole disk: exFAT boot regions fail their checksum (or are unreadable)");
  });

  test("a root directory chain that loops is one line", () => {
    expect(errorOf(() => mapWith("exfat", [[fat + 5 * 4, u32(5)]]))).toBe("whole disk: exFAT root directory: cluster chain loops back to cluster 5");
  });

  test("a root directory without an allocation bitmap entry is one line", () => {
    const root = image("exfat").subarray(cluster(5), cluster(6));
    const at = root.findIndex((b, i) => i % 32 === 0 && b === 0x81);
    expect(errorOf(() => mapWith("exfat", [[cluster(5) + at, [0x01]]]))).toBe("whole disk: exFAT root directory has no allocation bitmap entry");
  });

  test("absurd bitmap and up-case table sizes are one line each", () => {
    const root = image("exfat").subarray(cluster(5), cluster(6));
    const entry = (type: number) => cluster(5) + root.findIndex((b, i) => i % 32 === 0 && b === type);
    expect(errorOf(() => mapWith("exfat", [[entry(0x82) + 24, u32(1 << 30)]]))).toBe("whole disk: exFAT up-case table of 1073741824 bytes (at most 131072)");
    expect(errorOf(() => mapWith("exfat", [[entry(0x81) + 24, u32(10)]]))).toBe("whole disk: exFAT allocation bitmap has 10 bytes, 1536 clusters need 192");
    expect(errorOf(() => mapWith("exfat", [[entry(0x81) + 20, u32(1600)]]))).toContain("exFAT allocation bitmap: 192 bytes at cluster 1600 do not fit");
  });

  test("an unreadable bitmap or root directory makes the heap unknown", () => {
    const whole = [{ start: heap, length: 1536 * 4096 }];
    expect(mapWith("exfat", [], [{ start: cluster(2), length: 512 }]).unknown).toEqual(whole);
    expect(mapWith("exfat", [], [{ start: cluster(5), length: 512 }]).unknown).toEqual(whole);
  });
});

describe("an unreadable first sector", () => {
  for (const name of ["fat32", "fat16-s4096", "exfat", "exfat-c512", "ntfs", "ntfs-c512"]) {
    const backupExpected = name !== "fat16-s4096";
    test(`${name}: ${backupExpected ? "the backup boot sector gives the same map" : "FAT16 has no backup: not recognised"}`, () => {
      const lose0 = () => mapWith(name, [], [{ start: 0, length: 512 }]);
      if (backupExpected) expect(lose0()).toEqual(clean(name));
      else expect(lose0).toThrow("0 parsers detect");
    });
  }
});

describe("a volume inside a bigger disk", () => {
  for (const f of fsFixtures) {
    test(`${f.name} at 1 MiB: the same map, shifted`, () => {
      const img = image(f.name);
      const disk = new Uint8Array(img.length + (3 << 20)).fill(0x5a);
      disk.set(img, 1 << 20);
      const volume = { start: 1 << 20, length: img.length, label: "mbr 1" };
      const map = usedSpaceOf(memoryRead(disk), volume);
      const shift = (rs: ByteRange[]) => rs.map((r) => ({ start: r.start + (1 << 20), length: r.length }));
      const base = clean(f.name);
      expect(map).toEqual({ ...base, volume, metadata: shift(base.metadata), used: shift(base.used), unknown: shift(base.unknown) });
    });
  }
});

test("every parser declines the other filesystems' images", () => {
  for (const f of fsFixtures) expect(usedSpaceOf(memoryRead(image(f.name)), wholeDisk(image(f.name))).filesystem).toBe(f.filesystem);
});

