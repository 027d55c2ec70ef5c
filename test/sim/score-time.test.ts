// `simulate make` with the failure models' options and `simulate score DAMAGE RECORD...`
// through the compiled binary, on runs of GNU ddrescue and dd: the time-to-data numbers
// agree with the rescued files (an independent byte-by-byte comparison), both source
// behaviours show in what ddrescue's reads got back, and the report, budget and picture work.
import { describe, expect, test } from "bun:test";
import { missing, skipBecause } from "../helpers/needs.ts";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "../helpers/binary.ts";
import { parseDamageFile } from "../../src/sim/damage-file.ts";
import { readRecords } from "../../src/sim/read-record.ts";
import { scoreFiles } from "../../src/sim/score.ts";
import { compiledSalvage, scratchDir, tool } from "./helpers.ts";

const salvage = compiledSalvage();
const dir = scratchDir("score-time");
const run = (...args: string[]) => runBinary([salvage!, ...args], { cwd: dir });

describe.skipIf(skipBecause(!salvage && "dist/salvage is not built"))("simulate make: models, parameters, behaviour, timing", () => {
  test("--param, --on-error and --timing reach the damage file, which records the command", () => {
    const r = run("simulate", "make", "h.img", "--size", "4MiB", "--pattern", "head", "--param", "period=1000,band=100", "--param", "ragged=0", "--on-error", "fail", "--timing", "fail=0.2s", "--seed", "3");
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, "h.img.damage"), "utf8");
    expect(text).toContain("# salvage simulate make --size 4MiB --pattern head --param period=1000,band=100 --param ragged=0 --on-error fail --timing fail=0.2s --seed 3");
    const m = parseDamageFile(text, "h");
    expect(m.onError).toBe("fail");
    expect(m.timing.failNs).toBe(2e8);
    // 4 MiB = 8192 sectors: a solid band of 100 sectors every 1000
    expect(m.extents.length).toBeGreaterThanOrEqual(8);
    m.extents.slice(1).forEach((e, i) => expect(e.first - m.extents[i]!.first).toBe(1000));
    expect(m.extents.every((e) => e.count === 100 || e.first + e.count === 8192)).toBe(true);
  });

  test("--sparse: a huge image of zeros that takes no disk space", () => {
    expect(run("simulate", "make", "big.img", "--size", "16GiB", "--pattern", "scattered", "--param", "density=0.00001", "--sparse", "--seed", "1").code).toBe(0);
    const st = statSync(join(dir, "big.img"));
    expect(st.size).toBe(16 * 2 ** 30);
    expect(st.blocks * 512).toBeLessThan(1 << 20);
    expect(parseDamageFile(readFileSync(join(dir, "big.img.damage"), "utf8"), "big").extents.length).toBeGreaterThan(300);
    rmSync(join(dir, "big.img"));
  });

  test("bad options are one line, exit 2", () => {
    for (const [args, msg] of [
      [["--pattern", "head", "--param", "bogus=1"], "salvage: --param bogus: pattern 'head' has no such parameter (it has period, band, ragged, speck)"],
      [["--pattern", "head", "--param", "band"], "salvage: --param: 'band' is not KEY=VALUE"],
      [["--pattern", "areas", "--on-error", "maybe"], "salvage: --on-error is 'short' (a read stops before the bad sector) or 'fail' (the whole read fails)"],
      [["--pattern", "areas", "--timing", "fail=soon"], "salvage: --timing fail: not a duration: 'soon' (examples: 0.2s, 8ms)"],
    ] as [string[], string][]) {
      const r = run("simulate", "make", "bad.img", "--size", "1MiB", ...args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(msg);
    }
  });

  test("simulate patterns lists every model with its story and parameters", () => {
    const r = run("simulate", "patterns");
    expect(r.code).toBe(0);
    for (const name of ["areas", "islands", "head", "scratch", "scattered", "weak", "slow", "mixed", "clustered", "scratched", "mix"]) expect(r.stdout).toContain(`\n${name}: `);
    expect(r.stdout).toContain("k=1-4  failed attempts before a sector reads");
  });
});

describe.skipIf(skipBecause((!salvage && "dist/salvage is not built") || missing("ddrescue", "dd")))("simulate score with read records", () => {
  const model = (behaviour: string) => {
    const img = `mixed-${behaviour}.img`;
    expect(run("simulate", "make", img, "--size", "4MiB", "--pattern", "mixed", "--on-error", behaviour, "--timing", "fail=0.2s", "--seed", "5").code).toBe(0);
    return img;
  };

  for (const behaviour of ["short", "fail"]) {
    test(`ddrescue (${behaviour}): recovered bytes equal the rescued file's; its reads show the source behaviour`, () => {
      const img = model(behaviour);
      const rec = `dd-${behaviour}.rec`;
      expect(run("simulate", "--image", img, "--damage", `${img}.damage`, "--record", rec, "--", "ddrescue", "-q", img, `${behaviour}.out`, `${behaviour}.map`).code).toBe(0);
      const j = JSON.parse(run("simulate", "score", `${img}.damage`, rec, "--json").stdout)[0];
      const m = parseDamageFile(readFileSync(join(dir, `${img}.damage`), "utf8"), "m");
      const s = scoreFiles(join(dir, img), join(dir, `${behaviour}.out`), m);
      expect(j.recoveredBytes).toBe(s.classes.good.recovered + s.classes.weak.recovered);
      expect(j.readableBytes).toBe(s.classes.good.total + s.classes.weak.total);
      // a read whose first sector reads but a later one fails: short with data, or a whole
      // failure, never the other
      const failsAt = (sector: number) => m.extents.some((e) => e.kind !== "slow" && e.first <= sector && sector < e.first + e.count);
      let shortWithData = 0;
      let failedWhole = 0;
      readRecords(join(dir, rec), (r) => {
        if (r.flags & 1 && r.result > 0) shortWithData++;
        if (r.flags & 1 && r.result < 0 && !failsAt(r.offset / 512)) failedWhole++;
      });
      if (behaviour === "short") expect([shortWithData > 0, failedWhole]).toEqual([true, 0]);
      else expect([shortWithData, failedWhole > 0]).toEqual([0, true]);
    });
  }

  test("several runs: a table with labels and a budget, exit 1 when a run missed readable data, an SVG and PNG", () => {
    const img = model("short");
    run("simulate", "--image", img, "--damage", `${img}.damage`, "--record", "a.rec", "--", "ddrescue", "-q", img, "a.out", "a.map");
    // dd stops at the first error: it misses most of the disk
    run("simulate", "--image", img, "--damage", `${img}.damage`, "--record", "b.rec", "--", "dd", `if=${img}`, "of=b.out", "bs=64k", "status=none");
    const args = ["simulate", "score", `${img}.damage`, "a.rec", "b.rec", "--labels", "ddrescue,dd", "--budget", "30s", "--svg", "ab.svg"];
    if (tool("rsvg-convert")) args.push("--png", "ab.png");
    const r = run(...args);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines[1]).toMatch(/^run\s+t90\s+t99\s+t99\.9\s+t100\s+err<100%\s+err reads\s+reads\s+total\s+missed\s+@30\.0s$/);
    expect(lines[2]).toMatch(/^ddrescue /);
    expect(lines[3]).toMatch(/^dd\s+.*never/);
    const svg = readFileSync(join(dir, "ab.svg"), "utf8");
    expect(svg).toContain("ddrescue: t90");
    expect(svg).toContain("budget 30 s");
    if (tool("rsvg-convert")) expect(readFileSync(join(dir, "ab.png")).subarray(1, 4).toString()).toBe("PNG");
    const j = JSON.parse(run("simulate", "score", `${img}.damage`, "a.rec", "b.rec", "--budget", "30s", "--json").stdout);
    expect(j.map((c: { label: string }) => c.label)).toEqual(["a.rec", "b.rec"]);
    expect(j[0].budget.seconds).toBe(30);
    expect(j[0].points).toBeUndefined();
    expect(JSON.parse(run("simulate", "score", `${img}.damage`, "a.rec", "--json", "--points").stdout)[0].points.length).toBeGreaterThan(2);
  });

  test("bad input: too many labels, a bad budget, a record that exists", () => {
    const img = model("short");
    expect(run("simulate", "score", `${img}.damage`, "a.rec", "--labels", "x,y").stderr.trim()).toBe("salvage: --labels names 2 runs, but 1 records were given");
    expect(run("simulate", "score", `${img}.damage`, "a.rec", "--budget", "soon").code).toBe(2);
    expect(run("simulate", "score", `${img}.damage`, "missing.rec")).toMatchObject({ code: 2, stderr: "salvage: cannot read missing.rec: ENOENT\n" });
    const r = run("simulate", "--image", img, "--damage", `${img}.damage`, "--record", "a.rec", "--", "true");
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`salvage: cannot create the read record ${join(dir, "a.rec")}: it exists (give a new file)`);
    expect(existsSync(join(dir, "a.rec"))).toBe(true);
  });
});
