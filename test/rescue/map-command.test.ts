// `salvage map convert` against ddrescuelog (its -l list and -c create modes), and the
// SVG picture's content.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../helpers/binary.ts";
import { cellStates } from "../../src/formats/map-svg.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { loadOracle, recorded, sha256 } from "../helpers/oracle.ts";
import { missing, peer, skipBecause, usesLivePeer } from "../helpers/needs.ts";
import { body, createKey, ddrescuelogRecipe, LIST_INPUT, listCases, listKey, randomMap, type LogAnswer } from "./map-cases.ts";

const scratch = scratchDir("rescue-map");
afterAll(() => scratch.cleanup());
const recording = loadOracle<LogAnswer>(ddrescuelogRecipe.name);
const live = peer("ddrescuelog");
if (live) usesLivePeer("ddrescuelog");

function salvage(args: string[]) {
  const p = Bun.spawnSync([process.execPath, join(import.meta.dir, "../../src/main.ts"), ...args], { cwd: scratch.path, stdin: "ignore", env: { ...process.env, NO_COLOR: "1" } });
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

describe("map convert vs ddrescuelog (recorded, and live when installed)", () => {
  test("mapfile → bad-block list equals ddrescuelog -l (several types and block sizes)", () => {
    const map = randomMap(1, 8 << 20);
    writeFileSync(join(scratch.path, "r.map"), map);
    for (const [types, bs] of listCases) {
      const ref = recorded(recording, ddrescuelogRecipe.name, listKey(types, bs));
      expect(ref.input).toBe(sha256(map));
      expect(salvage(["map", "convert", "r.map", "out.list", "-b", String(bs), `--types=${types}`, "--force"]).code).toBe(0);
      expect(readFileSync(join(scratch.path, "out.list"), "latin1")).toBe(ref.output);
      expect(ref.output.length).toBeGreaterThan(0);
      if (live) expect(Bun.spawnSync([live, `-l${types}`, `-b${bs}`, "r.map"], { cwd: scratch.path }).stdout.toString()).toBe(ref.output);
    }
  });

  test("bad-block list → mapfile equals ddrescuelog -c-+ (listed bad, the rest finished)", () => {
    writeFileSync(join(scratch.path, "in.list"), LIST_INPUT);
    expect(salvage(["map", "convert", "in.list", "out.map", "-b", "4096", "--size", "32MiB"]).code).toBe(0);
    const ours = body(readFileSync(join(scratch.path, "out.map"), "latin1"));
    expect(ours).toBe(recorded(recording, ddrescuelogRecipe.name, createKey).output);
    if (!live) return;
    Bun.spawnSync(["sh", "-c", `"${live}" -b4096 -s 33554432 -c-+ ref.map < in.list`], { cwd: scratch.path });
    expect(ours).toBe(body(readFileSync(join(scratch.path, "ref.map"), "latin1")));
  });

  test("an unsorted list is refused with one line and exit 2", () => {
    writeFileSync(join(scratch.path, "bad.list"), "5\n3\n");
    const r = salvage(["map", "convert", "bad.list", "x.map"]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });
});

describe("map show --svg", () => {
  test("each cell shows the worst state it covers; one bad sector is never hidden", () => {
    const size = 64 << 20;
    const m = new StatusMap(size, "+");
    m.set(5 * 512 * 1024, 512, "-");
    m.set(size - 4096, 4096, "?");
    const cells = cellStates(m, size, 128);
    expect(cells.filter((c) => c.status === "-")).toHaveLength(1);
    expect(cells[Math.floor((5 * 512 * 1024) / (size / 128))]).toEqual({ status: "-", mixed: true });
    expect(cells[127]!.status).toBe("?");
    expect(cells.filter((c) => c.status === "+")).toHaveLength(126);
  });

  test("the SVG has one cell per grid square and the legend's totals", () => {
    const text = randomMap(2, 8 << 20);
    writeFileSync(join(scratch.path, "s.map"), text);
    const r = salvage(["map", "show", "s.map", "--svg", "s.svg", "--columns", "20", "--rows", "10"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/bad areas: \d+/);
    const svg = readFileSync(join(scratch.path, "s.svg"), "utf8");
    const cellRects = svg.split("\n").filter((l) => /^<rect x="\d+" y="\d+" width="8" height="8"/.test(l));
    expect(cellRects).toHaveLength(200);
    expect(svg).toContain(">-  bad-sector<");
    expect(Number(/width="(\d+)"/.exec(svg)![1])).toBeGreaterThanOrEqual(420); // the legend fits

  });
});

test.skipIf(skipBecause(missing("rsvg-convert")))("the SVG renders (rsvg-convert)", () => {
  writeFileSync(join(scratch.path, "r.map"), randomMap(2, 8 << 20));
  expect(salvage(["map", "show", "r.map", "--svg", "r.svg"]).code).toBe(0);
  const p = Bun.spawnSync([peer("rsvg-convert")!, "-o", join(scratch.path, "r.png"), join(scratch.path, "r.svg")]);
  expect(p.exitCode).toBe(0);
  expect(readFileSync(join(scratch.path, "r.png")).subarray(1, 4).toString()).toBe("PNG");
});
