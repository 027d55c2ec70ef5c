// Background map saves: the snapshot taken when the flush starts is what gets written,
// only after the flush has finished; the final save waits for it and is current.
import { afterAll, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../helpers/binary.ts";
import { missing, skipBecause } from "../helpers/needs.ts";
import { MapSaver } from "../../src/cli/rescue/map-saver.ts";
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
