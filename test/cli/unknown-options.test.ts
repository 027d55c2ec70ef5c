// Item 11 of issue 11: citty ignores options it does not know, so `rescue --retires=3`
// ran with defaults and exit 0. Every subcommand must refuse an unknown option by name,
// with the closest valid one, exit 2, before it touches any file.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary, scratchDir } from "../helpers/binary.ts";
import { salvageCommand } from "../rescue/cli-helpers.ts";
import { editDistance, findUnknownOption, optionTable, shortFlagGiven } from "../../src/cli/option-check.ts";
import { rescueArgs } from "../../src/cli/commands/rescue.ts";

const dir = scratchDir("unknown-options");
afterAll(() => dir.cleanup());
const src = join(dir.path, "src.img");
writeFileSync(src, new Uint8Array(64 * 1024).fill(7));
const salvage = (...argv: string[]) => runBinary([...salvageCommand(), ...argv], { cwd: dir.path });

describe("rescue refuses misspelt options", () => {
  const cases: [string[], string][] = [
    [["--retires=3"], "unknown option '--retires'; did you mean '--retries'?"],
    [["--retires", "3"], "unknown option '--retires'; did you mean '--retries'?"],
    [["-v"], "unknown option '-v'"],
    [["--frobnicate"], "unknown option '--frobnicate'"],
    [["--no-cluster"], "unknown option '--no-cluster'"],
    [["-Rx"], "unknown option '-x' (in '-Rx')"],
  ];
  for (const [opts, message] of cases) {
    test(opts.join(" "), () => {
      const r = salvage("rescue", "-q", ...opts, "src.img", "out.img", "out.map");
      expect(r.stderr).toContain(`salvage: ${message}`);
      expect(r.code).toBe(2);
      // Nothing was written: the mistake is caught before the job starts.
      expect(existsSync(join(dir.path, "out.img"))).toBe(false);
      expect(existsSync(join(dir.path, "out.map"))).toBe(false);
    });
  }

  test("a surplus word is an error, not a silently ignored argument", () => {
    const r = salvage("rescue", "-q", "src.img", "out.img", "out.map", "extra");
    expect(r.stderr).toContain("too many arguments");
    expect(r.code).toBe(2);
  });

  test("valid spellings still run: --retries=1, -r 1, -c64KiB, -Rn, --no-trim", () => {
    const r = salvage("rescue", "-q", "--retries=1", "-r", "1", "-c64KiB", "-Rn", "--no-trim", "src.img", "ok.img", "ok.map");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});

describe("every subcommand refuses an unknown option", () => {
  const commands: string[][] = [
    ["info", "src.img"],
    ["cdraw", "src.img", "16"],
    ["ffs", "info", "src.img"],
    ["ffs", "superblocks", "src.img"],
    ["getfree", "src.img", "-o", "free.bin"],
    ["textpieces", "piece", "--input", "src.img", "--fsize", "1024"],
    ["undelete", "src.img", "outdir"],
    ["map", "show", "x.map"],
    ["map", "convert", "x.map", "x.bb"],
    ["simulate", "make", "new.img", "--size", "64KiB"],
    ["simulate", "score", "a", "b", "c"],
  ];
  for (const argv of commands) {
    test(argv.slice(0, 2).join(" "), () => {
      const r = salvage(...argv, "--frobnicate");
      expect(r.stderr).toContain("unknown option '--frobnicate'");
      expect(r.code).toBe(2);
    });
  }

  test("a group given an unknown word still says which command is unknown", () => {
    const r = salvage("map", "bogus");
    expect(r.stderr).toContain("unknown command 'bogus'");
    expect(r.code).toBe(2);
  });

  test("the suggestion comes from the command's own options", () => {
    const r = salvage("getfree", "src.img", "--keep-uniforms", "-o", "free.bin");
    expect(r.stderr).toContain("did you mean '--keep-uniform'?");
    expect(r.code).toBe(2);
    expect(existsSync(join(dir.path, "free.bin"))).toBe(false);
  });
});

describe("option table", () => {
  const table = optionTable(rescueArgs as never, ["n", "N"]);
  test("accepts long names, aliases, negations, = values and bundles", () => {
    for (const ok of [["--cluster=1MiB"], ["--cluster", "1MiB"], ["-c", "1MiB"], ["-c1MiB"], ["--no-scrape"], ["-RdS"], ["-n"], ["--retries", "-1"], ["-r", "-1"]]) {
      expect(findUnknownOption([...ok, "a", "b", "c"], table)).toBeNull();
    }
  });
  test("a string option's value is not read as an option, a flag's neighbour is a positional", () => {
    expect(findUnknownOption(["--mark", "--weird", "a", "b", "c"], table)).toBeNull();
    expect(findUnknownOption(["--reverse", "a", "b", "c", "d"], table)).toContain("too many arguments");
  });
  test("-n and -N are seen alone and bundled, not inside an option's value", () => {
    expect(shortFlagGiven(["-Rn", "a"], table, "n")).toBe(true);
    expect(shortFlagGiven(["-N"], table, "n")).toBe(false);
    expect(shortFlagGiven(["--mark", "-n"], table, "n")).toBe(false);
    expect(shortFlagGiven(["-cn"], table, "n")).toBe(false);
    expect(shortFlagGiven(["--", "-n"], table, "n")).toBe(false);
  });
  test("edit distance", () => {
    expect(editDistance("retires", "retries")).toBe(2);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("cluster", "cluster")).toBe(0);
  });
});
