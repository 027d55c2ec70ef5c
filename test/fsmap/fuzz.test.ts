// CI-sized fuzzing of the FAT, exFAT and NTFS parsers (a longer campaign is
// `bun scripts/fuzz-fsmap.ts RUNS SEED`): mutated images give a well-formed map or one
// FsMapError line, in bounded time.
import { expect, test } from "bun:test";
import { fuzzFsmap, loadFsImages } from "../../scripts/fuzz-fsmap.ts";
import { usesRecording } from "../helpers/needs.ts";
import { fsFixtureDir } from "./fixtures.ts";

test("2000 mutated FAT/exFAT/NTFS images: no crash, no hang, one clear line per rejected image", () => {
  usesRecording("FAT/exFAT/NTFS fixture images (test/fixtures/fsmap)");
  const r = fuzzFsmap(loadFsImages(fsFixtureDir), 2000, 20261129);
  expect(r.failures).toEqual([]);
  expect(r.accepted + r.rejected).toBe(2000);
  // The mutations reach the checks of all three families, not only the boot sectors.
  const messages = [...r.messages.keys()].join("\n");
  for (const family of ["FAT boot sector", "NTFS MFT record", "exFAT boot sector"]) expect(messages).toContain(family);
  expect(r.slowest).toBeLessThan(2000);
}, 60_000);
