// Parsing the three damage sources, and the errors that name the offending line.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { formatDamageFile, parseDamageFile } from "../../src/sim/damage-file.ts";
import { parseDdrescueMap } from "../../src/sim/ddrescue-map.ts";
import { detectFormat, parseDamage } from "../../src/sim/load-damage.ts";
import { parseSafecopyCfg } from "../../src/sim/safecopy-cfg.ts";

describe("salvage damage file", () => {
  const text = `# a disk
sector-size 4096
size 1MiB
on-error fail
device block
timing seek 8ms
timing byte 6.5ns
timing fail 2s
bad 10-12
weak 20+3 2   # three sectors, two failures each
slow 30 40ms
`;
  test("statements become the model", () => {
    const m = parseDamageFile(text, "d");
    expect(m.sectorSize).toBe(4096);
    expect(m.size).toBe(1 << 20);
    expect(m.onError).toBe("fail");
    expect(m.device).toBe("block");
    expect(m.timing.seekNs).toBe(8e6);
    expect(m.timing.bytePs).toBe(6500);
    expect(m.timing.failNs).toBe(2e9);
    expect(m.extents.map((e) => [e.kind, e.first, e.count, e.fails, e.costNs])).toEqual([
      ["bad", 10, 3, 0, 0],
      ["weak", 20, 3, 2, 0],
      ["slow", 30, 1, 0, 40e6],
    ]);
  });

  test("formatting and parsing again gives the same model", () => {
    const m = parseDamageFile(text, "d");
    const again = parseDamageFile(formatDamageFile(m), "d2");
    const strip = (x: typeof m) => ({ ...x, extents: x.extents.map(({ line: _, ...e }) => e) });
    expect(strip(again)).toEqual(strip(m));
  });

  const errors: [string, string][] = [
    ["bad 5\nbad 10-20\nweak 15 2\n", "d:3: sectors 15-15 overlap line 2 (sectors 10-20)"],
    ["bad 10-20\nslow 5+6 1ms\n", "d:2: sectors 5-10 overlap line 1 (sectors 10-20)"],
    ["bad x\n", "d:1: a sector range is N, A-B or A+COUNT"],
    ["bad 20-10\n", "d:1: empty or reversed sector range"],
    ["\n\nweak 5\n", "d:3: expected 2 values after 'weak'"],
    ["slow 5 fast\n", "d:1: slow needs a duration per sector"],
    ["timing seek 8\n", "d:1: not a duration"],
    ["timing warp 1s\n", "d:1: unknown timing 'warp'"],
    ["bad 1\nsector-size 4096\n", "d:2: sector-size must come before the first range"],
    ["frobnicate 1\n", "d:1: unknown statement 'frobnicate'"],
    ["on-error maybe\n", "d:1: on-error is 'short' or 'fail'"],
  ];
  for (const [input, message] of errors) {
    test(`rejects: ${message}`, () => {
      expect(() => parseDamageFile(input, "d")).toThrow(message);
    });
  }
});

describe("safecopy simulator.cfg", () => {
  test("hard beats soft on the same sector, neighbours merge, costs follow delay x 2^k", () => {
    const m = parseSafecopyCfg("blocksize=512\nfilesize=8192\nsource=t.dat\ndelay=100\nseekdelay=7\nsoftfailcount=3\nhardfail=2\nhardfail=3\nsoftfail=3\nslow=5 2\nsoftfail=7 1 4\n", "/x/simulator.cfg");
    expect(m.sectorSize).toBe(512);
    expect(m.size).toBe(8192);
    expect(m.safecopy).toEqual({ softFailCount: 3, source: "/x/t.dat" });
    expect(m.timing.sectorNs).toBe(100_000);
    expect(m.timing.travelNs).toBe(7000);
    expect(m.extents.map((e) => [e.kind, e.first, e.count, e.costNs, e.failCostNs])).toEqual([
      ["bad", 2, 2, 0, 100_000],
      ["slow", 5, 1, 300_000, 0],
      ["soft", 7, 1, 100_000, 1_500_000],
    ]);
  });

  test("upstream defaults: 1024-byte sectors, 10240 bytes", () => {
    const m = parseSafecopyCfg("hardfail=2\n", "simulator.cfg");
    expect([m.sectorSize, m.size]).toEqual([1024, 10240]);
  });

  test("a value that is not a number names the line", () => {
    expect(() => parseSafecopyCfg("blocksize=1024\nhardfail=two\n", "c")).toThrow("c:2: 'hardfail' needs unsigned numbers");
  });

  test("every recorded scenario's cfg is detected and parsed", () => {
    const golden = join(import.meta.dir, "../fixtures/safecopy-golden");
    const cfgs = readdirSync(golden).filter((d) => existsSync(join(golden, d, "simulator.cfg")));
    expect(cfgs.length).toBeGreaterThan(10);
    for (const d of cfgs) {
      const path = join(golden, d, "simulator.cfg");
      const text = readFileSync(path, "utf8");
      expect(`${d}: ${detectFormat(text)}`).toBe(`${d}: safecopy-cfg`);
      expect(parseDamage(text, path).size).toBeGreaterThan(0);
    }
    const s04 = join(golden, "s04_area_backtrack/simulator.cfg");
    expect(parseDamage(readFileSync(s04, "utf8"), s04).extents.map((e) => [e.first, e.count])).toEqual([[2, 3]]);
  });
});

describe("ddrescue mapfile", () => {
  const map = `# Mapfile. Created by GNU ddrescue version 1.27
# current_pos  current_status  current_pass
0x00010000     +               1
#      pos        size  status
0x00000000  0x00000400  +
0x00000400  0x00000300  -
0x00000700  0x00000100  /
0x00000800  0x00001000  +
0x00001800  0x00000200  ?
`;
  test("areas not '+' are bad, rounded out to sectors; size is the end of the last area", () => {
    expect(detectFormat(map)).toBe("ddrescue-map");
    const m = parseDdrescueMap(map, "m");
    expect(m.size).toBe(0x1a00);
    expect(m.extents.map((e) => [e.first, e.count])).toEqual([[2, 2], [12, 1]]);
  });

  test("a gap between areas names the line", () => {
    expect(() => parseDdrescueMap("0x0 +\n0x0 0x200 +\n0x400 0x200 -\n", "m")).toThrow("m:3: area starts at 1024, expected 512");
  });
});
