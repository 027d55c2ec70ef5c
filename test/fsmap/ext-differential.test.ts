// The ext used-space map against what e2fsprogs (dumpe2fs) and The Sleuth Kit (blkls) say about
// the same images: the recordings always, the live tools too when installed.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { extParser } from "../../src/fsmap/ext/index.ts";
import type { ByteRange, UsedSpace } from "../../src/fsmap/types.ts";
import { loadOracle, recorded, type Recipe } from "../helpers/oracle.ts";
import { missing, peer, skipBecause, usesLivePeer } from "../helpers/needs.ts";
import { toRanges } from "../ffs/tsk-cases.ts";
import { dumpe2fsRecipe, extBlklsRecipe, extFirstRecipe, extImagePath, extMetadataRecipe, extNames, imageReader, tskWitnessed } from "./ext-cases.ts";


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

/**
 * One describe per witness: for each fixture, our ranges (picked from the map) against the
 * recording of `recipe` under "PREFIX NAME"; then the live tools against the same recording.
 */
function differential(title: string, recipe: Recipe<string>, names: string[], pick: (m: UsedSpace) => ByteRange[]) {
  const rec = loadOracle<string>(recipe.name);
  const prefix = recipe.keys[0]!.split(" ")[0];
  describe(title, () => {
    for (const name of names) {
      test(name, () => {
        const { map, blockSize } = mapOf(name);
        expect(map.unknown).toEqual([]);
        expect(blocks(pick(map), blockSize)).toBe(recorded(rec, recipe.name, `${prefix} ${name}`));
      });
    }
    test.skipIf(skipBecause(missing(...recipe.tools)))(`the live ${recipe.tools.join(" and ")} agree with the recording`, async () => {
      for (const t of recipe.tools) usesLivePeer(t);
      const tools = Object.fromEntries(recipe.tools.map((t) => [t, peer(t)!]));
      for (const key of recipe.keys) expect(await recipe.run(key, tools)).toBe(recorded(rec, recipe.name, key));
    });
  });
}

differential("ext used space equals dumpe2fs's (the complement of its free blocks)", dumpe2fsRecipe, extNames, (m) => m.used);
differential("ext used space equals TSK's allocated blocks, where TSK models the variant", extBlklsRecipe, tskWitnessed, (m) => m.used);
differential("ext metadata equals what dumpe2fs and debugfs place (tables, bitmaps, journal)", extMetadataRecipe, extNames, (m) => m.metadata);
differential("ext metadata read first: dumpe2fs's, without never-used inode-table tails and a clean journal", extFirstRecipe, extNames, (m) => m.first!);

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
