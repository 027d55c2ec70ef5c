// Background map saves: the snapshot taken when the flush starts is what gets written,
// only after the flush has finished; the final save waits for it and is current.
import { afterAll, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../helpers/binary.ts";
import { missing, skipBecause } from "../helpers/needs.ts";
import { autoIntervalMs, MapSaver } from "../../src/cli/rescue/map-saver.ts";
import { encodeAll, MapfileEncoder } from "../../src/formats/mapfile-write.ts";
import { parseMapfile } from "../../src/formats/mapfile.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";

const scratch = scratchDir("rescue-saver");
afterAll(() => scratch.cleanup());

test.skipIf(skipBecause(missing("sync")))("a background save writes the snapshot from before the flush, after it", async () => {
  const image = join(scratch.path, "img");
  const mapPath = join(scratch.path, "map");
  writeFileSync(image, new Uint8Array(4096));
  let inlineSyncs = 0;
  const saver = new MapSaver({
    mapPath,
    backgroundTarget: image,
    intervalMs: 1,
    syncImage: () => void inlineSyncs++,
    header: () => ({ program: "test", commandLine: "test", startTime: new Date(), message: "m" }),
  });
  const map = new StatusMap(4096);
  await Bun.sleep(5);
  map.set(0, 512, "+");
  saver.tick({ pos: 512, status: "?", pass: 1 }, map);
  expect(existsSync(mapPath)).toBe(false); // not before the flush is done
  map.set(512, 512, "+"); // after the snapshot: must not appear in it
  for (let i = 0; i < 200 && !existsSync(mapPath); i++) {
    await Bun.sleep(10);
    saver.tick({ pos: 1024, status: "?", pass: 1 }, map);
  }
  const saved = parseMapfile(readFileSync(mapPath, "latin1"));
  expect(saved.current.pos).toBe(512);
  expect(saved.blocks[0]).toEqual({ pos: 0, size: 512, status: "+" });
  expect(inlineSyncs).toBe(0);
  await saver.final({ pos: 0, status: "+", pass: 1 }, map);
  expect(inlineSyncs).toBe(1);
  expect(parseMapfile(readFileSync(mapPath, "latin1")).blocks[0]).toEqual({ pos: 0, size: 1024, status: "+" });
});

test("a save of a 1 M-extent map goes in short steps between reads and writes the snapshot", async () => {
  const mapPath = join(scratch.path, "big.map");
  const map = new StatusMap(0);
  for (let i = 0; i < 1_000_000; i++) map.appendExtent(i * 512, i % 2 ? 3 : 4);
  map.sealAppends(1e9, 1e9);
  let inlineSyncs = 0;
  const saver = new MapSaver({
    mapPath,
    backgroundTarget: null, // flush inline (a device): only the map writing is stepped
    intervalMs: 1,
    syncImage: () => void inlineSyncs++,
    header: () => ({ program: "test", commandLine: "test", startTime: new Date(0), message: "m" }),
  });
  const expected = Buffer.from(encodeAll(new MapfileEncoder(map.snapshot(), { pos: 7, status: "?", pass: 1 }, { program: "test", commandLine: "test", startTime: new Date(0), message: "m" }))).toString("latin1");
  await Bun.sleep(5);
  let steps = 0;
  let longest = 0;
  let changed = false;
  for (let i = 0; i < 100_000 && !existsSync(mapPath); i++) {
    const t0 = performance.now();
    saver.tick({ pos: 7, status: "?", pass: 1 }, map);
    longest = Math.max(longest, performance.now() - t0);
    steps++;
    if (!changed) {
      map.set(0, 600_000, "-"); // after the snapshot: must not appear in this save
      changed = true;
    }
    await Bun.sleep(0); // reads happen here; the fsync runs on a worker thread
  }
  console.log(`1 M-extent map saved in ${steps} steps, longest ${longest.toFixed(1)} ms`);
  expect(inlineSyncs).toBe(1);
  expect(steps).toBeGreaterThan(10);
  expect(longest).toBeLessThan(100); // ~1-10 ms each here; the whole save inline takes ~1 s
  // Headers carry the current time; compare from the status line on.
  const saved = readFileSync(mapPath, "latin1");
  expect(saved.slice(saved.indexOf("# current_pos"))).toBe(expected.slice(expected.indexOf("# current_pos")));
  expect(readdirSync(scratch.path).filter((f) => f.endsWith(".tmp"))).toEqual([]);
}, 60_000);

test("the automatic save interval grows with the map: 30 s up to 1 M extents, at most 5 min", () => {
  expect(autoIntervalMs(10)).toBe(30_000);
  expect(autoIntervalMs(1_000_000)).toBe(30_000);
  expect(autoIntervalMs(3_000_000)).toBe(90_000);
  expect(autoIntervalMs(50_000_000)).toBe(300_000);
});
