// `salvage simulate` and its tools through the compiled binary: the embedded preload
// library is extracted and works, exit codes pass through, bad input is one clear line.
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "../helpers/binary.ts";
import { parseDamageFile } from "../../src/sim/damage-file.ts";
import { compiledSalvage, noBinary, scratchDir, tool } from "./helpers.ts";
import { fromTimingRecipe, safecopyTiming, type TimingRun } from "./from-timing-cases.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { missing, peer, skipBecause } from "../helpers/needs.ts";

const salvage = compiledSalvage();
const dir = scratchDir("cli");
const run = (...args: string[]) => runBinary([salvage!, ...args], { cwd: dir });

describe.skipIf(skipBecause(noBinary))("salvage simulate (compiled binary)", () => {
  const image = join(dir, "disk.img");
  const damage = join(dir, "disk.damage");

  test("make: deterministic image without zero bytes, and a damage file that parses", () => {
    const r = run("simulate", "make", image, "--size", "1MiB", "--pattern", "mix", "--seed", "42");
    expect(r.code).toBe(0);
    const bytes = readFileSync(image);
    expect(bytes.length).toBe(1 << 20);
    expect(bytes.includes(0)).toBe(false);
    const model = parseDamageFile(readFileSync(`${image}.damage`, "utf8"), "made");
    expect(model.extents.length).toBeGreaterThan(0);
    expect(new Set(model.extents.map((e) => e.kind))).toEqual(new Set(["bad", "weak", "slow"]));
    // same seed, same disk; another seed, another disk
    const again = join(dir, "again.img");
    run("simulate", "make", again, "--size", "1MiB", "--pattern", "mix", "--seed", "42");
    expect(readFileSync(again).equals(bytes)).toBe(true);
    expect(readFileSync(`${again}.damage`, "utf8")).toBe(readFileSync(`${image}.damage`, "utf8"));
    run("simulate", "make", again, "--size", "1MiB", "--pattern", "mix", "--seed", "43");
    expect(readFileSync(again).equals(bytes)).toBe(false);
    writeFileSync(damage, readFileSync(`${image}.damage`));
  });

  test("every pattern makes a valid damage file", () => {
    for (const pattern of ["clean", "scattered", "clustered", "scratched", "weak", "slow"]) {
      const p = join(dir, `${pattern}.img`);
      expect(run("simulate", "make", p, "--size", "256KiB", "--pattern", pattern, "--seed", "1").code).toBe(0);
      const m = parseDamageFile(readFileSync(`${p}.damage`, "utf8"), pattern);
      const kinds = new Set(m.extents.map((e) => e.kind));
      if (pattern === "clean") expect(kinds.size).toBe(0);
      else expect(kinds).toEqual(new Set([pattern === "weak" ? "weak" : pattern === "slow" ? "slow" : "bad"]));
    }
  });

  test.skipIf(skipBecause(missing("dd")))("runs a command, passes its exit code through, writes stats", () => {
    const r = run("simulate", "--image", image, "--damage", damage, "--stats", "s.json", "--", "sh", "-c", "exit 7");
    expect(r.code).toBe(7);
    const stats = JSON.parse(readFileSync(join(dir, "s.json"), "utf8"));
    expect(stats.processes).toBe(1);
    expect(stats.reads).toBe(0);
  });

  // The rescuer is salvage rescue always, and GNU ddrescue too when installed.
  for (const [name, rescuer] of [["salvage rescue", [salvage!, "rescue"]], ["GNU ddrescue", [tool("ddrescue")!]]] as const) test.skipIf(skipBecause(!rescuer[0] && missing("ddrescue")))(`score: a ${name} copy has no wrong bytes and misses exactly the bad sectors`, () => {
    const r = run("simulate", "--image", image, "--damage", damage, "--", ...rescuer, "-q", image, "rescued", "rescued.map");
    expect(r.code).toBe(name === "GNU ddrescue" ? 0 : 1);
    const s = run("simulate", "score", image, damage, "rescued", "--json");
    expect(s.code).toBe(0);
    const score = JSON.parse(s.stdout);
    const model = parseDamageFile(readFileSync(damage, "utf8"), "d");
    const badBytes = model.extents.filter((e) => e.kind === "bad").reduce((n, e) => n + e.count * 512, 0);
    expect(score.wrong).toBe(0);
    expect(score.classes.bad).toEqual({ total: badBytes, recovered: 0, missed: badBytes, wrong: 0 });
    expect(score.classes.good.missed).toBe(0);
  });

  test("score: wrong bytes are counted, located, and fail the exit code; marker text is a gap", () => {
    const copy = Buffer.from(readFileSync(image));
    copy.fill(0, 0, 1024); // missed
    copy.write("BaDbLoCkBaDbLoCkBaD", 4096); // a marker run: missed, not wrong
    copy[9000] = copy[9000]! ^ 0xff; // wrong
    writeFileSync(join(dir, "tampered"), copy);
    const s = run("simulate", "score", image, damage, "tampered", "--marker", "BaDbLoCk");
    expect(s.code).toBe(1);
    expect(s.stdout).toContain("WRONG DATA: 1 bytes differ from the original and are not a gap (first at byte 9000)");
    const j = JSON.parse(run("simulate", "score", image, damage, "tampered", "--marker", "BaDbLoCk", "--json").stdout);
    const all = (k: "missed" | "wrong") => j.classes.good[k] + j.classes.weak[k] + j.classes.bad[k];
    expect(all("wrong")).toBe(1);
    expect(all("missed")).toBeGreaterThanOrEqual(1024 + 19);
  });

  test("--virtual-clock: the command's clock includes the virtual time of its failed reads", () => {
    const img = join(dir, "clock.img");
    writeFileSync(img, new Uint8Array(64 * 1024).fill(7));
    const dmg = join(dir, "clock.damage");
    writeFileSync(dmg, "timing fail 10s\nbad 5\n");
    const script = `date +%s; dd if=${img} of=/dev/null bs=512 skip=5 count=1 status=none 2>/dev/null; date +%s`;
    const took = (...flags: string[]) => {
      const r = run("simulate", "--image", img, "--damage", dmg, ...flags, "--", "sh", "-c", script);
      expect(r.code).toBe(0);
      const [a, b] = r.stdout.trim().split("\n").map(Number);
      return b! - a!;
    };
    expect(took("--virtual-clock")).toBeGreaterThanOrEqual(10);
    expect(took()).toBeLessThan(5);
  });

  test("bad input: overlapping damage names the line, exit 2", () => {
    writeFileSync(join(dir, "overlap.damage"), "sector-size 512\nbad 10-20\n\nweak 15 1\n");
    const r = run("simulate", "--image", image, "--damage", "overlap.damage", "--", "true");
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`salvage: ${join(dir, "overlap.damage")}:4: sectors 15-15 overlap line 2 (sectors 10-20)`);
  });

  test("bad input: a disk smaller than one sector, and a one-word damage line quoted once", () => {
    const r = run("simulate", "make", join(dir, "tiny.img"), "--size", "0");
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("salvage: --size: a disk needs at least one sector (512 bytes)");
    const junk = join(dir, "junk.damage");
    writeFileSync(junk, "frobnicate\n");
    const j = run("simulate", "--image", image, "--damage", junk, "--", "true");
    expect(j.code).toBe(2);
    expect(j.stderr.trim()).toBe(`salvage: ${junk}:1: unknown statement 'frobnicate'`);
  });

  test("bad input: a command that cannot be started is exit 127 with one line", () => {
    const r = run("simulate", "--image", image, "--damage", damage, "--", "no-such-command-xyz");
    expect(r.code).toBe(127);
    expect(r.stderr.trim()).toBe("salvage: cannot run no-such-command-xyz: command not found");
  });

  test("bad input: missing image, missing damage option, unknown option", () => {
    expect(run("simulate", "--image", "nope.img", "--damage", damage, "--", "true")).toMatchObject({ code: 2, stderr: "salvage: cannot use image nope.img: ENOENT\n" });
    expect(run("simulate", "--image", image, "--", "true").code).toBe(2);
    expect(run("simulate", "--imgae", image, "--", "true").stderr).toContain("unknown option '--imgae'");
  });
});

describe.skipIf(skipBecause(noBinary))("from-timing: a real run's timing and bad blocks become a damage model", () => {
  const recording = loadOracle<TimingRun>(fromTimingRecipe.name);
  const live = peer("safecopy");
  const runs: Array<[string, () => TimingRun]> = [["recorded safecopy 1.7 run", () => recorded(recording, fromTimingRecipe.name, fromTimingRecipe.keys[0]!)]];
  if (live) runs.push(["live safecopy run", () => safecopyTiming(live)]);
  for (const [name, get] of runs) {
    test(`bad and weak blocks come back where they were (${name})`, () => {
      const t = get();
      expect(t.code).toBe(1);
      writeFileSync(join(dir, "ft.timing"), t.timing);
      writeFileSync(join(dir, "ft.badblocks"), t.badblocks);
      const out = run("simulate", "from-timing", "ft.timing", "ft.badblocks", "--block-size", "512", "-o", "ft.replay");
      expect(out.code).toBe(0);
      const m = parseDamageFile(readFileSync(join(dir, "ft.replay"), "utf8"), "replay");
      expect(m.size).toBe(512 * 1024);
      expect(m.extents.filter((e) => e.kind !== "slow").map((e) => [e.kind, e.first, e.count, e.fails])).toEqual([
        ["bad", 100, 4, 0],
        ["weak", 300, 1, 2],
        ["bad", 700, 1, 0],
      ]);
    });
  }
});

describe.skipIf(skipBecause(noBinary))("exit status of a command killed by a signal", () => {
  test("is 128 + the signal number, as a shell reports it", () => {
    const image = join(dir, "sig.img");
    writeFileSync(image, new Uint8Array(4096).fill(1));
    writeFileSync(join(dir, "sig.damage"), "sector-size 512\n");
    expect(run("simulate", "--image", image, "--damage", "sig.damage", "--", "sh", "-c", "kill -TERM $$").code).toBe(143);
  });
});
