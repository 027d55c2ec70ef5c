import { describe, expect, test } from "bun:test";
import { MapfileError, parseMapfile, serializeMapfile } from "../../src/formats/mapfile.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { rng } from "./helpers.ts";

describe("ddrescue mapfile format", () => {
  test("reads comments, the status line and C-style numbers (hex, octal, decimal)", () => {
    const m = parseMapfile("# Mapfile. Created by GNU ddrescue version 1.27\n# x\n0x200  ?  2\n0 512 + # trailing comment\n01000 0x200 -\n1024\t0x10 /\n");
    expect(m.current).toEqual({ pos: 512, status: "?", pass: 2 });
    expect(m.blocks).toEqual([
      { pos: 0, size: 512, status: "+" },
      { pos: 512, size: 512, status: "-" },
      { pos: 1024, size: 16, status: "/" },
    ]);
  });

  test("old two-field status lines mean pass 1", () => {
    expect(parseMapfile("0 +\n0 1 +\n").current.pass).toBe(1);
  });

  test("writes ddrescue's exact column layout", () => {
    const text = serializeMapfile({ current: { pos: 0x40c00, status: "+", pass: 1 }, blocks: [{ pos: 0, size: 0x40000, status: "+" }, { pos: 0x40000, size: 0x123456789a, status: "-" }] });
    expect(text).toBe(
      "# current_pos  current_status  current_pass\n0x00040C00     +               1\n#      pos        size  status\n0x00000000  0x00040000  +\n0x00040000  0x123456789A  -\n",
    );
  });

  test("malformed maps fail with the line number", () => {
    const bad = ["", "0 X 1\n", "0 + 1\n0 512\n", "0 + 1\n0 0 +\n", "0 + 1\n0 512 +\n1024 512 +\n", "0 + 1\n0 512 +\n256 512 +\n", "0 + 1\n0 512 q\n", "0 + 1\n0x 5 +\n", "0 + x\n"];
    for (const t of bad) expect(() => parseMapfile(t)).toThrow(MapfileError);
    try {
      parseMapfile("0 + 1\n0 512 +\n1024 512 +\n");
    } catch (e) {
      expect((e as Error).message).toMatch(/^line 3:/);
    }
  });

  test("loose maps: unsorted, overlapping and gappy blocks are normalized, gaps untried", () => {
    const m = parseMapfile("0 + 1\n4096 512 +\n0 1024 +\n512 1024 -\n", { loose: true });
    expect(m.blocks).toEqual([
      { pos: 0, size: 1024, status: "+" },
      { pos: 1024, size: 512, status: "-" },
      { pos: 1536, size: 2560, status: "?" },
      { pos: 4096, size: 512, status: "+" },
    ]);
  });

  test("random maps survive serialize → parse → StatusMap unchanged", () => {
    const r = rng(42);
    for (let k = 0; k < 50; k++) {
      const map = new StatusMap(1 << 24);
      for (let i = 0; i < 40; i++) map.set(Math.floor(r() * (1 << 24)), Math.floor(r() * 100000), "?*/-+"[Math.floor(r() * 5)] as "+");
      const blocks = map.extents();
      const back = parseMapfile(serializeMapfile({ current: { pos: 0, status: "?", pass: 1 }, blocks }));
      expect(back.blocks).toEqual(blocks);
      expect(StatusMap.fromExtents(back.blocks).extents()).toEqual(blocks);
      // Canonical: no two neighbours share a status.
      for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.status).not.toBe(blocks[i - 1]!.status);
    }
  });
});

describe("status map", () => {
  test("set splits and merges extents; totals and bad areas follow", () => {
    const m = new StatusMap(10000);
    m.set(1000, 500, "-");
    m.set(3000, 500, "-");
    expect(m.badAreas()).toBe(2);
    m.set(1500, 1500, "-");
    expect(m.badAreas()).toBe(1);
    expect(m.extents()).toEqual([
      { pos: 0, size: 1000, status: "?" },
      { pos: 1000, size: 2500, status: "-" },
      { pos: 3500, size: 6500, status: "?" },
    ]);
    m.set(0, 10000, "+");
    expect(m.count).toBe(1);
    expect(m.totals()["+"]).toBe(10000);
  });

  test("a short map is extended with untried space to the domain end", () => {
    const m = StatusMap.fromExtents([{ pos: 0, size: 100, status: "+" }], 300);
    expect(m.extents()).toEqual([
      { pos: 0, size: 100, status: "+" },
      { pos: 100, size: 200, status: "?" },
    ]);
  });
});
