// The streaming mapfile parser and serialiser: any chunking of the input parses the same;
// maps written by GNU ddrescue load and re-serialise byte for byte (status line and
// blocks); pieces of the encoder concatenate to the whole; the map tools' outputs equal
// recorded ddrescuelog outputs (test/fixtures/oracles/ddrescuelog/NOTE.md).
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { badblocksToMap, writeBadblocks } from "../../src/formats/map-convert.ts";
import { feedFromFile, loadMap, loadMapFile } from "../../src/formats/mapfile-load.ts";
import { MapfileError } from "../../src/formats/mapfile-parse.ts";
import { encodeAll, MapfileEncoder } from "../../src/formats/mapfile-write.ts";
import { parseMapfile, serializeMapfile } from "../../src/formats/mapfile.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import type { BlockStatus } from "../../src/rescue/mapfile/status.ts";

const oracles = join(import.meta.dir, "../fixtures/oracles/ddrescuelog");
const fixture = (name: string) => readFileSync(join(oracles, name), "latin1");
/** From the status-line comment on: what ddrescue writes after its header. */
const body = (t: string) => t.slice(t.indexOf("# current_pos"));

function feedInPieces(bytes: Uint8Array, sizes: () => number) {
  return (push: (c: Uint8Array) => void) => {
    for (let at = 0; at < bytes.length; ) {
      const n = Math.max(1, sizes());
      push(bytes.subarray(at, at + n));
      at += n;
    }
  };
}

test("ddrescue-written maps load and serialise back byte for byte, in any chunking", () => {
  for (const name of ["rescue-n.map", "rescue-full.map", "created.map", "big-created.map"]) {
    const text = fixture(name);
    const bytes = Buffer.from(text, "latin1");
    let x = 7;
    for (const sizes of [() => bytes.length, () => 1, () => ((x = (x * 48271) % 2147483647), 1 + (x % 97))]) {
      const { current, map } = loadMap(feedInPieces(bytes, sizes));
      const out = Buffer.from(encodeAll(new MapfileEncoder(map, current))).toString("latin1");
      expect(out).toBe(body(text));
    }
  }
});

test("the encoder's pieces concatenate to the same text at any piece size, past 2^32 and 2^44", () => {
  const { current, map } = loadMapFile(join(oracles, "big-created.map"));
  const whole = Buffer.from(encodeAll(new MapfileEncoder(map, current))).toString("latin1");
  for (const pieceBytes of [1, 40, 100, 4096]) {
    const enc = new MapfileEncoder(map, current, undefined, pieceBytes);
    let text = "";
    for (let p = enc.piece(); p; p = enc.piece()) {
      if (text.length > 0) expect(p.length).toBeLessThanOrEqual(Math.max(pieceBytes, 38));
      text += Buffer.from(p).toString("latin1");
    }
    expect(text).toBe(whole);
  }
  expect(whole).toContain("0x100000000000  0x00001000  -\n");
});

test("comments, CRLF, tabs and number syntaxes parse the same in one piece or byte by byte", () => {
  const text = "# c\r\n0x200  ?  2 # pos\r\n\t0 512 + # trailing\n01000 0x200 -\n1024\t0X10 /\n  \n";
  const whole = parseMapfile(text);
  const bytes = Buffer.from(text, "latin1");
  const blocks: Array<{ pos: number; size: number; status: string }> = [];
  const { current, map } = loadMap(feedInPieces(bytes, () => 1));
  map.scan((a, b, c) => void blocks.push({ pos: a, size: b - a, status: "?*/-+"[c]! }));
  expect(current).toEqual(whole.current);
  expect(blocks).toEqual(whole.blocks);
  expect(whole.blocks).toEqual([
    { pos: 0, size: 512, status: "+" },
    { pos: 512, size: 512, status: "-" },
    { pos: 1024, size: 16, status: "/" },
  ]);
});

test("errors name the line, whatever the chunking", () => {
  const text = "0 + 1\n0 512 +\n512 512 -\n1000 12 +\n";
  for (const sizes of [() => 1000, () => 3]) {
    expect(() => loadMap(feedInPieces(Buffer.from(text), sizes))).toThrow(new MapfileError("block at 0x3E8 is overlapping or unsorted", 4));
  }
  expect(() => loadMap(feedInPieces(Buffer.from("# only\n# comments"), () => 2))).toThrow(new MapfileError("no status line", 2));
  expect(() => loadMap(feedInPieces(Buffer.from("0 + 1\n0 0x1FFFFFFFFFFFFF +\n"), () => 5))).not.toThrow();
  expect(() => loadMap(feedInPieces(Buffer.from("0 + 1\n0 0x20000000000001 +\n"), () => 5))).toThrow(MapfileError);
});

test("map → bad-block list equals the recorded ddrescuelog -l outputs", () => {
  const cases: Array<[string, string, number, string]> = [
    ["rescue-full.map", "-", 512, "full.bad-512.list"],
    ["rescue-n.map", "?*/-", 4096, "n.notdone-4096.list"],
    ["rescue-n.map", "/", 1024, "n.scrape-1024.list"],
  ];
  for (const [map, types, bs, expected] of cases) {
    const { map: m } = loadMapFile(join(oracles, map));
    const parts: Uint8Array[] = [];
    writeBadblocks(m, bs, [...types] as BlockStatus[], (b) => parts.push(b.slice()));
    expect(Buffer.concat(parts).toString("latin1")).toBe(fixture(expected));
  }
});

test("bad-block list → map equals the recorded ddrescuelog -c-+ outputs", () => {
  for (const [list, size, expected] of [["in.list", 33554432, "created.map"], ["big.list", 21990232555520, "big-created.map"]] as const) {
    const r = badblocksToMap((push) => feedFromFile(join(oracles, list), push), 4096, size);
    const out = Buffer.from(encodeAll(new MapfileEncoder(r.map, { pos: 0, status: "?", pass: 1 }))).toString("latin1");
    expect(out).toBe(body(fixture(expected)));
  }
});

test("serializeMapfile (small maps) is the encoder's output", () => {
  const m = new StatusMap(1 << 20, "+");
  m.set(4096, 512, "-");
  const text = serializeMapfile({ current: { pos: 5, status: "/", pass: 2 }, blocks: m.extents() }, { program: "p", commandLine: "c", startTime: new Date(0), message: "m" });
  expect(text).toContain("# Mapfile. Created by p\n# Command line: c\n");
  expect(body(text)).toBe("# current_pos  current_status  current_pass\n0x00000005     /               2\n#      pos        size  status\n0x00000000  0x00001000  +\n0x00001000  0x00000200  -\n0x00001200  0x000FEE00  +\n");
});
