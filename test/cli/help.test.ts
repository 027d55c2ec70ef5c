// Issue 12, "help, messages": each subcommand's --help is its own, no line is padded to the
// longest one (they wrapped into blank lines at 80 columns), a usage mistake is one line
// with a pointer to --help (not the whole help with the error at the bottom), and a
// misspelt command gets a suggestion.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { runBinary } from "../helpers/binary.ts";

const salvage = (...argv: string[]) => runBinary([process.execPath, join(import.meta.dir, "../../src/main.ts"), ...argv]);

describe("--help", () => {
  test("simulate's tools show their own usage, not the simulator's", () => {
    for (const [tool, usage] of [["make", "salvage simulate make IMAGE"], ["score", "salvage simulate score IMAGE DAMAGE RESCUED"], ["from-timing", "salvage simulate from-timing TIMING BADBLOCKS"], ["patterns", "salvage simulate patterns"]]) {
      const r = salvage("simulate", tool!, "--help");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(usage!);
      expect(r.stdout).not.toContain("--sleep-scale");
    }
    expect(salvage("simulate", "--help").stdout).toContain("--sleep-scale");
  });

  test("no line carries padding, and the command list fits a terminal", () => {
    for (const argv of [["--help"], ["map", "--help"], ["rescue", "--help"], ["simulate", "--help"]]) {
      const lines = salvage(...argv).stdout.split("\n");
      expect(lines.filter((l) => /\s$/.test(l))).toEqual([]);
      if (argv.length === 1) expect(Math.max(...lines.filter((l) => /^ +\w+ {4}/.test(l)).map((l) => l.length))).toBeLessThan(160);
    }
  });

  test("rescue --help has units and examples", () => {
    const out = salvage("rescue", "--help").stdout;
    expect(out).toContain("UNITS");
    expect(out).toContain("64Ki = 65536, 1M = 1000000"); // ddrescue's units: k M G are powers of 1000
    expect(out).toMatch(/EXAMPLES[\s\S]*salvage rescue \/dev\/sdb disk.img disk.map/);
  });

  test("map --help names ddrescuelog's letters", () => {
    expect(salvage("map", "--help").stdout).toContain("salvage map -t|-D|-d|-n|-p FILE");
  });
});

describe("usage errors: one line, a pointer to --help, exit 2", () => {
  const cases: Array<[string[], string]> = [
    [["map", "show"], "salvage: missing argument MAPFILE (see 'salvage map show --help')"],
    [["rescue", "a"], "(see 'salvage rescue --help')"],
    [["mpa"], "salvage: unknown command 'mpa'; did you mean 'map'? (see 'salvage --help')"],
    [["resuce"], "did you mean 'rescue'?"],
    [["map", "shwo", "x"], "salvage: unknown command 'shwo'; did you mean 'show'? (see 'salvage map --help')"],
    [["ffs", "superblock", "x"], "did you mean 'superblocks'?"],
    [["frobnicate"], "salvage: unknown command 'frobnicate' (see 'salvage --help')"],
    [["--frobnicate"], "salvage: unknown option '--frobnicate'"],
  ];
  for (const [argv, message] of cases) {
    test(argv.join(" "), () => {
      const r = salvage(...argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(message);
    });
  }

  test("a group alone shows its usage (exit 2)", () => {
    const r = salvage("map");
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("USAGE salvage map");
  });
});

test("on a terminal, long help lines wrap under their description column", async () => {
  const { wrapHelp } = await import("../../src/cli/run.ts");
  const line = "     undelete    Recover deleted text from an FFS/UFS filesystem into OUTDIR: text pieces from free fragments";
  const wrapped = wrapHelp(line, 60).split("\n");
  expect(wrapped.every((l) => l.length <= 60)).toBe(true);
  expect(wrapped[0]).toBe("     undelete    Recover deleted text from an FFS/UFS");
  expect(wrapped.slice(1).every((l) => l.startsWith(" ".repeat(17)) && l[17] !== " ")).toBe(true);
  expect(wrapped.join(" ").replace(/\s+/g, " ")).toBe(line.replace(/\s+/g, " "));
});

test("colour codes take no columns when wrapping", async () => {
  const { wrapHelp } = await import("../../src/cli/run.ts");
  const wrapped = wrapHelp("        \x1b[36minfo\x1b[39m    Show what a file or device is: kind, size, sector sizes, read-only flag", 60).split("\n");
  expect(wrapped[0]).toBe("        \x1b[36minfo\x1b[39m    Show what a file or device is: kind, size,");
  expect(wrapped[1]).toBe("                sector sizes, read-only flag");
});
