// `map show --json` (the summary for scripts) and `map show --png` alone (which left a
// stray X.png.svg beside the picture).
import { afterAll, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary, scratchDir } from "../helpers/binary.ts";
import { missing, skipBecause } from "../helpers/needs.ts";

const dir = scratchDir("map-show");
afterAll(() => dir.cleanup());
const salvage = (...argv: string[]) => runBinary([process.execPath, join(import.meta.dir, "../../src/main.ts"), ...argv], { cwd: dir.path });
// 4 KiB finished, 2 KiB bad, 512 B non-tried, 1.5 KiB non-trimmed, 8 KiB non-scraped, 16 KiB finished.
writeFileSync(join(dir.path, "a.map"), "0x00001000     /               2\n0x0 0x1000 +\n0x1000 0x800 -\n0x1800 0x200 ?\n0x1A00 0x600 *\n0x2000 0x2000 /\n0x4000 0x4000 +\n");

test("--json: sizes in bytes, areas per status, the status line, done", () => {
  const r = salvage("map", "show", "a.map", "--json");
  expect(r.code).toBe(0);
  const j = JSON.parse(r.stdout);
  expect(j).toEqual({
    mapfile: "a.map",
    size: 32768,
    blocks: 6,
    current: { pos: 4096, status: "/", pass: 2 },
    statuses: {
      "non-tried": { char: "?", bytes: 512, areas: 1 },
      "non-trimmed": { char: "*", bytes: 1536, areas: 1 },
      "non-scraped": { char: "/", bytes: 8192, areas: 1 },
      "bad-sector": { char: "-", bytes: 2048, areas: 1 },
      finished: { char: "+", bytes: 20480, areas: 2 },
    },
    badAreas: 1,
    done: false,
  });
});

test.skipIf(skipBecause(missing("rsvg-convert")))("--png alone writes the PNG and nothing else", () => {
  const before = new Set(readdirSync(dir.path));
  expect(salvage("map", "show", "a.map", "--png", "a.png").code).toBe(0);
  expect(readFileSync(join(dir.path, "a.png")).subarray(1, 4).toString()).toBe("PNG");
  expect(existsSync(join(dir.path, "a.png.svg"))).toBe(false);
  expect(readdirSync(dir.path).filter((f) => !before.has(f))).toEqual(["a.png"]);
});
