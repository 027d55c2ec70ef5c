// `salvage map used`: the domain mapfile holds the filesystem's used space as '+', and real
// GNU ddrescue accepts it with -m (it then rescues exactly those blocks).
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadMapFile } from "../../src/formats/mapfile-load.ts";
import { findUsedSpace, toSectors, usedRanges } from "../../src/fsmap/find.ts";
import { missing, peer, skipBecause } from "../helpers/needs.ts";
import { fixturePath, salvage, scratchDir } from "../ffs/fixtures.ts";
import { memoryReader } from "./helpers.ts";

function plusBlocks(path: string): [number, number][] {
  return loadMapFile(path).map.extents().filter((e) => e.status === "+").map((e) => [e.pos, e.pos + e.size]);
}

describe("map used", () => {
  const img = fixturePath("ffs.bin.gz");
  const dir = scratchDir();

  test("the '+' blocks are the used space the UFS parser finds, in whole sectors", () => {
    const dom = join(dir, "ffs.dom");
    const r = salvage(["map", "used", img, "-o", dom]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("ufs2");
    const bytes = new Uint8Array(readFileSync(img));
    const u = findUsedSpace(memoryReader(bytes), bytes.length);
    const want = toSectors(usedRanges(u), 512, bytes.length).map((x): [number, number] => [x.start, x.start + x.length]);
    expect(plusBlocks(dom)).toEqual(want);
    expect(want.length).toBeGreaterThan(1);
  });

  test("--json reports the filesystem; garbage gives one note and the whole disk (exit 1)", () => {
    const j = salvage(["map", "used", img, "--json"]);
    expect(j.code).toBe(0);
    const info = JSON.parse(new TextDecoder().decode(j.stdout));
    expect(info.filesystems[0].filesystem).toBe("ufs2");
    const junk = join(dir, "junk.img");
    writeFileSync(junk, new Uint8Array(1 << 20).fill(0x41));
    const dom = join(dir, "junk.dom");
    const r = salvage(["map", "used", junk, "-o", dom]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("whole disk: no known filesystem");
    expect(plusBlocks(dom)).toEqual([[0, 1 << 20]]);
  });

  test.skipIf(skipBecause(missing("ddrescue")))("ddrescue -m DOMAIN rescues exactly the '+' blocks", () => {
    const dom = join(dir, "ffs2.dom");
    expect(salvage(["map", "used", img, "-o", dom]).code).toBe(0);
    const out = join(dir, "dd.out");
    const map = join(dir, "dd.map");
    const r = Bun.spawnSync([peer("ddrescue")!, "-q", "-m", dom, img, out, map], { stdin: "ignore", stderr: "pipe" });
    expect(r.stderr.toString()).toBe("");
    expect(r.exitCode).toBe(0);
    expect(existsSync(map)).toBe(true);
    expect(plusBlocks(map)).toEqual(plusBlocks(dom));
  });
});
