// The ext used-space map against what e2fsprogs (dumpe2fs) and The Sleuth Kit (blkls) say about
// the same images: the recordings always, the live tools too when installed.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { extParser } from "../../src/fsmap/ext/index.ts";
import type { ByteRange, UsedSpace } from "../../src/fsmap/types.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { missing, peer, skipBecause, usesLivePeer } from "../helpers/needs.ts";
import { toRanges } from "../ffs/tsk-cases.ts";
import { dumpe2fsRecipe, extBlklsRecipe, extImagePath, extMetadataRecipe, extNames, imageReader, tskWitnessed } from "./ext-cases.ts";

const dumpe2fs = loadOracle<string>(dumpe2fsRecipe.name);
const blkls = loadOracle<string>(extBlklsRecipe.name);
const metadata = loadOracle<string>(extMetadataRecipe.name);

function mapOf(name: string): { map: UsedSpace; blockSize: number } {
  const bytes = new Uint8Array(readFileSync(extImagePath(name)));
  const read = imageReader(bytes);
  const volume = { start: 0, length: bytes.length, label: "whole disk" };
  expect(extParser.detect(read, volume)).toBe(true);
  const blockSize = 1024 << new DataView(bytes.buffer).getUint32(1024 + 0x18, true);
  return { map: extParser.usedSpace(read, volume), blockSize };
}

/** Byte ranges as the block ranges the tools print. */
function blocks(ranges: ByteRange[], blockSize: number): string {
  const out: number[] = [];
  for (const r of ranges) for (let b = r.start / blockSize; b < (r.start + r.length) / blockSize; b++) out.push(b);
  return toRanges(out);
}

describe("ext used space equals dumpe2fs's (the complement of its free blocks)", () => {
  for (const name of extNames) {
    test(name, () => {
      const { map, blockSize } = mapOf(name);
      expect(map.unknown).toEqual([]);
      expect(blocks(map.used, blockSize)).toBe(recorded(dumpe2fs, dumpe2fsRecipe.name, `dumpe2fs ${name}`));
    });
  }
  const why = missing("dumpe2fs");
  test.skipIf(skipBecause(why))("the live dumpe2fs agrees with its recording", async () => {
    usesLivePeer("dumpe2fs");
    for (const key of dumpe2fsRecipe.keys) expect(await dumpe2fsRecipe.run(key, { dumpe2fs: peer("dumpe2fs")! })).toBe(recorded(dumpe2fs, dumpe2fsRecipe.name, key));
  });
});

describe("ext used space equals TSK's allocated blocks, where TSK models the variant", () => {
  for (const name of tskWitnessed) {
    test(name, () => {
      const { map, blockSize } = mapOf(name);
      expect(blocks(map.used, blockSize)).toBe(recorded(blkls, extBlklsRecipe.name, `blkls ${name}`));
    });
  }
  test.skipIf(skipBecause(missing("blkls")))("the live blkls agrees with its recording", async () => {
    usesLivePeer("blkls");
    for (const key of extBlklsRecipe.keys) expect(await extBlklsRecipe.run(key, { blkls: peer("blkls")! })).toBe(recorded(blkls, extBlklsRecipe.name, key));
  });
});

describe("ext metadata equals what dumpe2fs and debugfs place (tables, bitmaps, journal)", () => {
  for (const name of extNames) {
    test(name, () => {
      const { map, blockSize } = mapOf(name);
      expect(blocks(map.metadata, blockSize)).toBe(recorded(metadata, extMetadataRecipe.name, `metadata ${name}`));
    });
  }
  test.skipIf(skipBecause(missing("dumpe2fs", "debugfs")))("the live tools agree with their recording", async () => {
    usesLivePeer("debugfs");
    const tools = { dumpe2fs: peer("dumpe2fs")!, debugfs: peer("debugfs")! };
    for (const key of extMetadataRecipe.keys) expect(await extMetadataRecipe.run(key, tools)).toBe(recorded(metadata, extMetadataRecipe.name, key));
  });
});

describe("every metadata range lies in used space", () => {
  for (const name of extNames) {
    test(name, () => {
      const { map } = mapOf(name);
      expect(map.metadata.length).toBeGreaterThan(0);
      for (const m of map.metadata) {
        const inside = map.used.some((u) => u.start <= m.start && m.start + m.length <= u.start + u.length);
        expect(inside ? "inside" : `metadata ${m.start}+${m.length} outside used`).toBe("inside");
      }
    });
  }
});
