// `salvage info` names the filesystem in each partition as blkid does, on a disk whose
// partitions were made by mkfs.ext2/3/4, mkfs.fat (12, 16, 32), mkntfs, mkfs.exfat and mkswap.
// blkid's answers are recorded (test/fixtures/oracles/partitions/fs-names.json); live when installed.
import { expect, test } from "bun:test";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { missing, peer, usesLivePeer } from "../helpers/needs.ts";
import { salvage } from "../ffs/fixtures.ts";
import { diskPath } from "./fixtures.ts";
import { filesystemsDisk, fsNamesRecipe, fsPartitions } from "./fs-name-cases.ts";

const recording = loadOracle<string>(fsNamesRecipe.name);
const live = !missing("blkid");
if (live) usesLivePeer("blkid");

/** blkid's TYPE (and VERSION for FAT) in salvage's words. */
function asSalvage(blkid: string): string {
  const f = Object.fromEntries(blkid.split("\n").map((l) => l.split("=") as [string, string]));
  if (f.TYPE === "vfat") return f.VERSION!.toLowerCase();
  return f.TYPE!;
}

test("every partition's filesystem is named as blkid names it", () => {
  const r = salvage(["info", "--json", diskPath(filesystemsDisk)]);
  expect(r.code).toBe(0);
  const parts = JSON.parse(new TextDecoder().decode(r.stdout)).partitionTable.partitions as Array<{ start: number; length: number; name: string; filesystem: string }>;
  expect(parts.map((p) => [p.start, p.length, p.name])).toEqual(fsPartitions.map((p) => [p.start, p.length, p.name]));
  const theirs = fsNamesRecipe.keys.map((key) => {
    const rec = recorded(recording, fsNamesRecipe.name, key);
    if (live) expect(fsNamesRecipe.run(key, { blkid: peer("blkid")! })).toBe(rec);
    return asSalvage(rec);
  });
  expect(parts.map((p) => p.filesystem)).toEqual(theirs);
  expect(theirs).toEqual(fsPartitions.map((p) => p.name)); // blkid agrees with what the script made
});
