// `salvage map convert` against ddrescuelog (its -l list and -c create modes), and the
// SVG picture's content.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../helpers/binary.ts";
import { cellStates } from "../../src/formats/map-svg.ts";
import { serializeMapfile } from "../../src/formats/mapfile.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { rng } from "./helpers.ts";

const scratch = scratchDir("rescue-map");
afterAll(() => scratch.cleanup());
const hasLog = Bun.which("ddrescuelog") !== null;
if (!hasLog) console.warn("skipped: ddrescuelog is not installed (apt-get install gddrescue)");

function salvage(args: string[]) {
  const p = Bun.spawnSync([process.execPath, join(import.meta.dir, "../../src/main.ts"), ...args], { cwd: scratch.path, stdin: "ignore", env: { ...process.env, NO_COLOR: "1" } });
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

function randomMap(seed: number, size: number): string {
  const r = rng(seed);
  const m = new StatusMap(size, "+");
  for (let i = 0; i < 30; i++) m.set(Math.floor((r() * size) / 512) * 512, 512 * (1 + Math.floor(r() * 50)), "?*/-"[Math.floor(r() * 4)] as "-");
  return serializeMapfile({ current: { pos: 0, status: "/", pass: 1 }, blocks: m.extents() });
}

const body = (t: string) => t.split("\n").filter((l) => !l.startsWith("#")).join("\n");

describe.skipIf(!hasLog)("map convert vs ddrescuelog", () => {
  test("mapfile → bad-block list equals ddrescuelog -l (several types and block sizes)", () => {
    writeFileSync(join(scratch.path, "r.map"), randomMap(1, 8 << 20));
    for (const [types, bs] of [["-", 512], ["-", 4096], ["?*/-", 1024], ["/*", 2048]] as const) {
      const ref = Bun.spawnSync(["ddrescuelog", `-l${types}`, `-b${bs}`, "r.map"], { cwd: scratch.path }).stdout.toString();
      expect(salvage(["map", "convert", "r.map", "out.list", "-b", String(bs), `--types=${types}`]).code).toBe(0);
      expect(readFileSync(join(scratch.path, "out.list"), "latin1")).toBe(ref);
      expect(ref.length).toBeGreaterThan(0);
    }
  });

  test("bad-block list → mapfile equals ddrescuelog -c-+ (listed bad, the rest finished)", () => {
    writeFileSync(join(scratch.path, "in.list"), "3\n4\n5\n17\n100\n101\n4000\n");
    Bun.spawnSync(["sh", "-c", "ddrescuelog -b4096 -s 33554432 -c-+ ref.map < in.list"], { cwd: scratch.path });
    expect(salvage(["map", "convert", "in.list", "out.map", "-b", "4096", "--size", "32MiB"]).code).toBe(0);
    expect(body(readFileSync(join(scratch.path, "out.map"), "latin1"))).toBe(body(readFileSync(join(scratch.path, "ref.map"), "latin1")));
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

  test("the SVG has one cell per grid square, the legend's totals, and renders (rsvg-convert)", () => {
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
    if (Bun.which("rsvg-convert")) {
      const p = Bun.spawnSync(["rsvg-convert", "-o", join(scratch.path, "s.png"), join(scratch.path, "s.svg")]);
      expect(p.exitCode).toBe(0);
      expect(readFileSync(join(scratch.path, "s.png")).subarray(1, 4).toString()).toBe("PNG");
    } else console.warn("skipped: rendering check needs rsvg-convert (librsvg2-bin)");
  });
});
