// Differential tests against GNU ddrescue 1.27: same simulated damage (ddrescue's own -H
// test mode, which salvage implements too), same final map; and each tool continues the
// other's partial map to the same result. ddrescue's side is the recording
// (test/fixtures/oracles/ddrescue/interop.json) always, and the live tool too when installed.
import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../helpers/binary.ts";
import { digest, loadOracle, recorded } from "../helpers/oracle.ts";
import { peer, skipBecause, usesLivePeer } from "../helpers/needs.ts";
import { parseMapfile, serializeMapfile } from "../../src/formats/mapfile.ts";
import { makeTestDisk, mapBlocks, salvageRescue } from "./cli-helpers.ts";
import { ddrescueAt, ddrescueRecipe, diskId, logSeed, rebuildImage, rescuedBytes, type DdrescueRun, type Partial } from "./ddrescue-cases.ts";

const scratch = scratchDir("rescue-interop");
afterAll(() => scratch.cleanup());
const recording = loadOracle<DdrescueRun | Partial | string>(ddrescueRecipe.name);
const want = <T,>(key: string) => recorded(recording, ddrescueRecipe.name, key) as T;
const live = peer("ddrescue");
const liveLog = peer("ddrescuelog");
if (live) usesLivePeer("ddrescue");
const ddrescue = (dir: string, extra: string[], names: { src: string; dst: string; map: string }) => ddrescueAt(live!, dir, extra, names);

function dirFor(name: string): string {
  const d = join(scratch.path, name);
  Bun.spawnSync(["mkdir", "-p", d]);
  return d;
}

/** A test disk, checked to be the one the recording was made on. */
function disk(name: string, seed: number, key: string): { dir: string; full: DdrescueRun } {
  const dir = dirFor(name);
  makeTestDisk(dir, seed);
  const full = want<DdrescueRun>(key);
  expect(diskId(dir)).toBe(full.disk);
  return { dir, full };
}

const same = (dir: string, a: string, b: string) => expect(Buffer.compare(readFileSync(join(dir, a)), readFileSync(join(dir, b)))).toBe(0);
const image = (dir: string, f: string) => digest(readFileSync(join(dir, f)));

describe("salvage rescue vs GNU ddrescue", () => {
  test("same damage → identical final map and image (8 random disks, both directions)", async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const { dir, full } = disk(`same-${seed}`, seed, `full ${seed}`);
      expect(full.code).toBe(0);
      const code = await salvageRescue(dir, ["test-mode", "test.map", ...(seed % 2 ? [] : ["--reverse"])], { src: "in.bin", dst: "s.bin", map: "s.map" });
      expect(code).toBe(1); // bad sectors remain
      expect(mapBlocks(join(dir, "s.map"))).toEqual(full.map);
      expect(image(dir, "s.bin")).toBe(full.image);
      if (!live) continue;
      expect(ddrescue(dir, ["-H", "test.map"], { src: "in.bin", dst: "d.bin", map: "d.map" })).toBe(0);
      expect(mapBlocks(join(dir, "s.map"))).toEqual(mapBlocks(join(dir, "d.map")));
      same(dir, "s.bin", "d.bin");
    }
  });

  test("salvage continues ddrescue's maps (after -n, and after -X stopped it mid-copy)", async () => {
    for (let seed = 11; seed <= 14; seed++) {
      const { dir, full } = disk(`s-after-d-${seed}`, seed, `full ${seed}`);
      const part = want<Partial>(`part ${seed}`);
      // ddrescue's partial state: its map verbatim, its image rebuilt from the map (checked by hash).
      writeFileSync(join(dir, "part.map"), part.text);
      const size = Number(/^(\d+) bytes/.exec(part.image)![1]);
      writeFileSync(join(dir, "part.bin"), rebuildImage(readFileSync(join(dir, "in.bin")), part.text, size));
      expect(image(dir, "part.bin")).toBe(part.image);
      // -X0 stops at the first error, so that map is surely unfinished; -n leaves '/' when an area has an interior.
      if (seed % 2 === 0) expect(part.map.blocks).toMatch(/[?*\/]$/m);
      await salvageRescue(dir, ["test-mode", "test.map"], { src: "in.bin", dst: "part.bin", map: "part.map" });
      expect(mapBlocks(join(dir, "part.map"))).toEqual(full.map);
      expect(image(dir, "part.bin")).toBe(full.image);
      if (!live) continue;
      ddrescue(dir, ["-H", "test.map"], { src: "in.bin", dst: "full.bin", map: "full.map" });
      ddrescue(dir, ["-H", "test.map", seed % 2 ? "-n" : "-X0"], { src: "in.bin", dst: "live.bin", map: "live.map" });
      await salvageRescue(dir, ["test-mode", "test.map"], { src: "in.bin", dst: "live.bin", map: "live.map" });
      expect(mapBlocks(join(dir, "live.map"))).toEqual(mapBlocks(join(dir, "full.map")));
      same(dir, "live.bin", "full.bin");
    }
  });

  test("ddrescue continues salvage's maps (after --no-scrape, and after --max-errors stopped it); live, or checked against its full run", async () => {
    for (let seed = 21; seed <= 24; seed++) {
      const { dir, full } = disk(`d-after-s-${seed}`, seed, `full ${seed}`);
      await salvageRescue(dir, ["test-mode", "test.map", ...(seed % 2 ? ["--no-scrape"] : ["max-errors", "0"])], { src: "in.bin", dst: "part.bin", map: "part.map" });
      expect(mapBlocks(join(dir, "part.map")).blocks).toMatch(/[?*\/]$/m);
      // Whatever salvage calls rescued, ddrescue's full run rescued too, with the same bytes.
      const fullPlus = full.map.blocks.split("\n").map((l) => l.split(" ")).filter((f) => f[2] === "+").map((f) => [Number(f[0]), Number(f[0]) + Number(f[1])]);
      const src = readFileSync(join(dir, "in.bin"));
      const part = readFileSync(join(dir, "part.bin"));
      for (const [pos, size, st] of mapBlocks(join(dir, "part.map")).blocks.split("\n").map((l) => l.split(" "))) {
        if (st !== "+") continue;
        const [a, e] = [Number(pos), Number(pos) + Number(size)];
        expect(fullPlus.some(([x, y]) => x! <= a && e <= y!)).toBe(true);
        expect(Buffer.compare(part.subarray(a, e), src.subarray(a, e))).toBe(0);
      }
      if (!live) continue;
      copyFileSync(join(dir, "part.map"), join(dir, "part.map.salvage"));
      expect(ddrescue(dir, ["-H", "test.map"], { src: "in.bin", dst: "part.bin", map: "part.map" })).toBe(0);
      expect(mapBlocks(join(dir, "part.map"))).toEqual(full.map);
      expect(image(dir, "part.bin")).toBe(full.image);
    }
  });

  test("ddrescuelog accepts salvage's maps and reports the same totals (recorded -n map; ddrescuelog live when installed)", async () => {
    const { dir } = disk("log", logSeed, `full ${logSeed}`);
    await salvageRescue(dir, ["test-mode", "test.map", "--no-scrape"]);
    const theirs = want<DdrescueRun>(`log-n ${logSeed}`);
    // Both maps must classify the same bytes as rescued; ddrescue may leave '/' where we do.
    expect(rescuedBytes(mapBlocks(join(dir, "map")).blocks)).toBe(rescuedBytes(theirs.map.blocks));
    if (!liveLog) return;
    const t = Bun.spawnSync([liveLog, "-t", join(dir, "map")]);
    expect(t.exitCode).toBe(0);
    expect(/rescued:\s+(\S+ \S+)/.exec(t.stdout.toString())?.[1]).toBe(want<string>(`log ${logSeed}`));
  });

  // rescue --used-first trims the edges at gaps of its domain in a third sweep, and a map
  // saved then says so: status "*", pass 3.
  test.skipIf(skipBecause(live ? null : "GNU ddrescue not installed"))("ddrescue continues a map stopped in trimming's third sweep (status *, pass 3)", () => {
    const dir = dirFor("trim-sweep-3");
    const data = Buffer.alloc(1 << 20, 7);
    writeFileSync(join(dir, "in.bin"), data);
    writeFileSync(join(dir, "out.bin"), Buffer.alloc(data.length));
    const KiB = 1024;
    const written = serializeMapfile({
      current: { pos: 512 * KiB, status: "*", pass: 3 },
      blocks: [{ pos: 0, size: 512 * KiB, status: "+" }, { pos: 512 * KiB, size: 64 * KiB, status: "*" }, { pos: 576 * KiB, size: 448 * KiB, status: "/" }],
    });
    expect(written).toMatch(/^0x00080000\s+\*\s+3$/m);
    writeFileSync(join(dir, "out.map"), written);
    expect(ddrescue(dir, [], { src: "in.bin", dst: "out.bin", map: "out.map" })).toBe(0);
    const after = parseMapfile(readFileSync(join(dir, "out.map"), "latin1"));
    expect(after.current.status).toBe("+");
    expect(after.blocks).toEqual([{ pos: 0, size: 1 << 20, status: "+" }]);
  });
});
