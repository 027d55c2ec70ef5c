// UFS used space vs The Sleuth Kit: on every fixture TSK reads, the allocated fragments of
// the UFS parser equal `blkls -a -l` (recorded in test/fixtures/oracles/sleuthkit/
// ufs-allocated.json; live too when sleuthkit is installed). Then damage and hostile
// input: an unreadable group header makes its data "unknown", never "free"; garbage is a
// one-line FsMapError.
import { describe, expect, test } from "bun:test";
import { ufsParser } from "../../src/fsmap/ufs.ts";
import { subtractRanges, unionRanges } from "../../src/fsmap/ranges.ts";
import { FsMapError, type UsedSpace } from "../../src/fsmap/types.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { missing, peer, usesLivePeer } from "../helpers/needs.ts";
import { fixtureBytes } from "../ffs/fixtures.ts";
import { fromRanges, tskFixtures } from "../ffs/tsk-cases.ts";
import { tskAllocated, ufsUsedRecipe } from "./ufs-cases.ts";
import { memoryReader } from "./helpers.ts";

const recording = loadOracle<string>(ufsUsedRecipe.name);
const live = !missing("blkls");
if (live) usesLivePeer("sleuthkit");

function fragments(u: UsedSpace, ranges = u.used): number[] {
  const out: number[] = [];
  for (const r of ranges) for (let f = r.start / u.unit; f < (r.start + r.length) / u.unit; f++) out.push(f);
  return out;
}

describe("UFS used space vs blkls -a -l", () => {
  for (const f of tskFixtures) {
    test(f.name, () => {
      const img = fixtureBytes(f.name);
      const read = memoryReader(img);
      const volume = { start: 0, length: img.length, label: "whole disk" };
      expect(ufsParser.detect(read, volume)).toBe(true);
      const u = ufsParser.usedSpace(read, volume);
      expect(u.filesystem).toBe(f.variant.toLowerCase());
      expect(u.unknown).toEqual([]);
      const ours = fragments(u);
      expect(ours).toEqual(fromRanges(recorded(recording, ufsUsedRecipe.name, `blkls -a -l ${f.name}`)));
      if (live) expect(ours).toEqual(fromRanges(tskAllocated(peer("blkls")!, f)));
      // Metadata is allocated space: every metadata fragment is in the used list.
      const used = new Set(ours);
      expect(fragments(u, u.metadata).every((x) => used.has(x))).toBe(true);
    });
  }
});

describe("UFS on damaged and hostile input", () => {
  const name = "makefs_ufs1_le.img.gz";
  test("a volume at an offset gives absolute byte ranges", () => {
    const img = fixtureBytes(name);
    const pad = 1 << 20;
    const whole = new Uint8Array(pad + img.length);
    whole.set(img, pad);
    const u0 = ufsParser.usedSpace(memoryReader(img), { start: 0, length: img.length, label: "whole disk" });
    const u1 = ufsParser.usedSpace(memoryReader(whole), { start: pad, length: img.length, label: "mbr 1" });
    expect(u1.used).toEqual(u0.used.map((r) => ({ start: r.start + pad, length: r.length })));
  });

  test("an unreadable cylinder-group header: its data is unknown, its metadata still listed", () => {
    const img = fixtureBytes("ffs.bin.gz");
    const volume = { start: 0, length: img.length, label: "whole disk" };
    const good = ufsParser.usedSpace(memoryReader(img), volume);
    // group 1's header: find it as the second metadata range's cg header (damage the whole range)
    const m = good.metadata[1]!;
    const u = ufsParser.usedSpace(memoryReader(img, [[m.start, m.start + m.length]]), volume);
    expect(u.unknown.length).toBeGreaterThan(0);
    expect(u.metadata).toEqual(good.metadata);
    // The whole group is unknown, from its start (UFS2: 64 KiB of data before the backup superblock).
    expect(u.unknown.some((r) => r.start <= m.start - 65536 && r.start + r.length > m.start + m.length)).toBe(true);
    // Nothing the undamaged map calls used is lost: it is used or unknown now.
    expect(subtractRanges(good.used, unionRanges(u.used, u.unknown))).toEqual([]);
  });

  test("garbage is not detected; a bad superblock is a one-line FsMapError", () => {
    const junk = new Uint8Array(1 << 20).fill(0x5a);
    const volume = { start: 0, length: junk.length, label: "whole disk" };
    expect(ufsParser.detect(memoryReader(junk), volume)).toBe(false);
    // the magic alone, with absurd geometry around it
    new DataView(junk.buffer).setUint32(65536 + 1372, 0x19540119, true);
    expect(ufsParser.detect(memoryReader(junk), volume)).toBe(true);
    let err: unknown;
    try {
      ufsParser.usedSpace(memoryReader(junk), volume);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FsMapError);
    expect((err as Error).message).not.toContain("\n");
  });

  test("fuzzed superblocks and headers never crash and stay inside the volume", () => {
    const img = fixtureBytes("ufs-little.img.zst");
    const volume = { start: 0, length: img.length, label: "whole disk" };
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    for (let k = 0; k < 200; k++) {
      const copy = img.slice();
      // flip bytes in the superblock and the first group's header area
      for (let i = 0; i < 8; i++) copy[65536 + Math.floor(rnd() * 4096)] = Math.floor(rnd() * 256);
      for (let i = 0; i < 8; i++) copy[Math.floor(rnd() * Math.min(copy.length, 1 << 20))] = Math.floor(rnd() * 256);
      try {
        const u = ufsParser.usedSpace(memoryReader(copy), volume);
        for (const r of [...u.used, ...u.metadata, ...u.unknown]) {
          expect(r.start).toBeGreaterThanOrEqual(0);
          expect(r.start + r.length).toBeLessThanOrEqual(img.length);
        }
      } catch (e) {
        expect(e).toBeInstanceOf(FsMapError);
      }
    }
  });
});
