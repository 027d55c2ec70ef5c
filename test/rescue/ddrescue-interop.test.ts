// Differential tests against GNU ddrescue: same simulated damage (ddrescue's own -H test
// mode, which salvage implements too), same final map; and each tool continues the
// other's partial map to the same result.
import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../helpers/binary.ts";
import { ddrescue, hasDdrescue, makeTestDisk, mapBlocks, salvageRescue } from "./cli-helpers.ts";

const scratch = scratchDir("rescue-interop");
afterAll(() => scratch.cleanup());
if (!hasDdrescue) console.warn("skipped: GNU ddrescue is not installed (apt-get install gddrescue)");

function dirFor(name: string): string {
  const d = join(scratch.path, name);
  Bun.spawnSync(["mkdir", "-p", d]);
  return d;
}

const same = (dir: string, a: string, b: string) => expect(Buffer.compare(readFileSync(join(dir, a)), readFileSync(join(dir, b)))).toBe(0);

describe.skipIf(!hasDdrescue)("salvage rescue vs GNU ddrescue", () => {
  test("same damage → identical final map and image (8 random disks, both directions)", async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const dir = dirFor(`same-${seed}`);
      makeTestDisk(dir, seed);
      expect(ddrescue(dir, ["-H", "test.map"], { src: "in.bin", dst: "d.bin", map: "d.map" })).toBe(0);
      const code = await salvageRescue(dir, ["test-mode", "test.map", ...(seed % 2 ? [] : ["--reverse"])], { src: "in.bin", dst: "s.bin", map: "s.map" });
      expect(code).toBe(1); // bad sectors remain
      expect(mapBlocks(join(dir, "s.map"))).toEqual(mapBlocks(join(dir, "d.map")));
      same(dir, "s.bin", "d.bin");
    }
  });

  test("salvage continues ddrescue's maps (after -n, and after -X stopped it mid-copy)", async () => {
    for (let seed = 11; seed <= 14; seed++) {
      const dir = dirFor(`s-after-d-${seed}`);
      makeTestDisk(dir, seed);
      ddrescue(dir, ["-H", "test.map"], { src: "in.bin", dst: "full.bin", map: "full.map" });
      ddrescue(dir, ["-H", "test.map", seed % 2 ? "-n" : "-X0"], { src: "in.bin", dst: "part.bin", map: "part.map" });
      // -X0 stops at the first error, so that map is surely unfinished; -n leaves '/' when an area has an interior.
      if (seed % 2 === 0) expect(mapBlocks(join(dir, "part.map")).blocks).toMatch(/[?*\/]$/m);
      await salvageRescue(dir, ["test-mode", "test.map"], { src: "in.bin", dst: "part.bin", map: "part.map" });
      expect(mapBlocks(join(dir, "part.map"))).toEqual(mapBlocks(join(dir, "full.map")));
      same(dir, "part.bin", "full.bin");
    }
  });

  test("ddrescue continues salvage's maps (after --no-scrape, and after --max-errors stopped it)", async () => {
    for (let seed = 21; seed <= 24; seed++) {
      const dir = dirFor(`d-after-s-${seed}`);
      makeTestDisk(dir, seed);
      ddrescue(dir, ["-H", "test.map"], { src: "in.bin", dst: "full.bin", map: "full.map" });
      await salvageRescue(dir, ["test-mode", "test.map", ...(seed % 2 ? ["--no-scrape"] : ["max-errors", "0"])], { src: "in.bin", dst: "part.bin", map: "part.map" });
      expect(mapBlocks(join(dir, "part.map")).blocks).toMatch(/[?*\/]$/m);
      copyFileSync(join(dir, "part.map"), join(dir, "part.map.salvage"));
      expect(ddrescue(dir, ["-H", "test.map"], { src: "in.bin", dst: "part.bin", map: "part.map" })).toBe(0);
      expect(mapBlocks(join(dir, "part.map"))).toEqual(mapBlocks(join(dir, "full.map")));
      same(dir, "part.bin", "full.bin");
    }
  });

  test("ddrescuelog accepts salvage's maps and reports the same totals", async () => {
    const dir = dirFor("log");
    makeTestDisk(dir, 31);
    await salvageRescue(dir, ["test-mode", "test.map", "--no-scrape"]);
    ddrescue(dir, ["-H", "test.map", "-n"], { src: "in.bin", dst: "d.bin", map: "d.map" });
    const t = (m: string) => Bun.spawnSync(["ddrescuelog", "-t", join(dir, m)]);
    const ours = t("map");
    expect(ours.exitCode).toBe(0);
    // Both maps must classify the same bytes as rescued and bad (edges); ddrescue may leave '/' where we do.
    const rescued = (out: string) => /rescued:\s+(\S+ \S+)/.exec(out)?.[1];
    expect(rescued(ours.stdout.toString())).toBe(rescued(t("d.map").stdout.toString()));
  });
});
