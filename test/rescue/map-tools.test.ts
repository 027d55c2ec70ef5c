// `salvage map`'s ddrescuelog operations against ddrescuelog 1.27 (recorded in
// test/fixtures/oracles/ddrescue/ddrescuelog-ops.json, and live when installed): the same
// words give the same output, resulting map, exit code and mapfile deletion. Errors are
// the one place salvage differs on purpose: exit 2 (ddrescuelog: 1, the same as "not done").
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { peer, usesLivePeer } from "../helpers/needs.ts";
import { inputMaps, mapToolKeys, mapToolsRecipe, runMapTool, type ToolAnswer } from "./map-tools-cases.ts";

const recording = loadOracle<ToolAnswer>(mapToolsRecipe.name);
const live = peer("ddrescuelog");
if (live) usesLivePeer("ddrescuelog");
const main = join(import.meta.dir, "../../src/main.ts");
const salvageMap = [process.execPath, main, "map"];

describe("salvage map with ddrescuelog's letters = ddrescuelog", () => {
  for (const key of mapToolKeys) {
    test(key, () => {
      const ref = recorded(recording, mapToolsRecipe.name, key);
      const ours = runMapTool(key, salvageMap);
      expect(ours).toEqual(ref);
      if (live) expect(runMapTool(key, [live])).toEqual(ref);
    });
  }
});

/** Named subcommands and the ddrescuelog words they stand for (same recording). */
const named: Array<[string, string]> = [
  ["done A.map", "-D A.map"],
  ["done F.map -m D.map", "-D -m D.map F.map"],
  ["delete-if-done F.map", "-d F.map"],
  ["compare A.map B.map", "-p B.map A.map"],
  ["compare A.map B.map --finished-only", "-P B.map A.map"],
  ["list A.map --types ?*/ -b 4096", "-l?*/ -b 4096 A.map"],
  ["list A.map -t + -b 1000 -i 100KiB -s 300KiB", "-l+ -b 1000 -i 100Ki -s 300Ki A.map"],
  ["change-types A.map ?*/ -", "-a?*/,- A.map"],
  ["invert A.map --domain D.map", "-n -m D.map A.map"],
  ["xor A.map B.map", "-x B.map A.map"],
  ["and A.map S.map", "-y S.map A.map"],
  ["or A.map B.map", "-z B.map A.map"],
];

describe("named subcommands give the same answers", () => {
  for (const [words, key] of named) {
    test(`map ${words}  =  ${key}`, () => {
      const ref = recorded(recording, mapToolsRecipe.name, key);
      // runMapTool treats a key starting with "-d " as a deletion; the named form says it in words.
      const ours = key.startsWith("-d ") ? runNamedDelete(words) : runMapTool(words, salvageMap);
      expect({ ...ours, inputs: ref.inputs }).toEqual(ref);
    });
  }
});

function runNamedDelete(words: string): ToolAnswer {
  const dir = mkdtempSync(join(tmpdir(), "salvage-maptools-"));
  try {
    const maps = inputMaps();
    for (const [name, text] of Object.entries(maps)) writeFileSync(join(dir, name), text);
    const p = Bun.spawnSync([...salvageMap, ...words.split(" ")], { cwd: dir, stdin: "ignore" });
    let kept = true;
    try {
      kept = readFileSync(join(dir, words.split(" ")[1]!), "latin1") === maps[words.split(" ")[1]!];
    } catch {
      kept = false;
    }
    return { inputs: "", out: p.stdout.toString(), said: p.stderr.length > 0, code: p.exitCode ?? -1, kept };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("errors: one line, exit 2", () => {
  for (const words of ["-D missing.map", "-Q A.map", "-D -x B.map A.map", "-l+x A.map", "-a? A.map", "-D A.map B.map", "-D", "-D -b 0 A.map", "-c A.map", "done", "list A.map --types x"]) {
    test(words, () => {
      const dir = mkdtempSync(join(tmpdir(), "salvage-maptools-"));
      try {
        for (const [name, text] of Object.entries(inputMaps())) writeFileSync(join(dir, name), text);
        const p = Bun.spawnSync([...salvageMap, ...words.split(" ")], { cwd: dir, stdin: "ignore" });
        expect(p.exitCode).toBe(2);
        expect(p.stderr.toString().trim().split("\n")).toHaveLength(1);
        expect(p.stdout.length).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe("-t's numbers, as ddrescuelog 1.27 printed them (copied from its output)", () => {
  test("percentages: exact ones short, others two decimals", async () => {
    const { formatPercent } = await import("../../src/formats/map-status-text.ts");
    const seen: Array<[number, number, string]> = [[512, 32768, "  1.56%"], [1536, 32768, "  4.69%"], [8192, 32768, " 25%"], [20480, 32768, " 62.5%"], [999, 3000999, "  0.03%"], [89088, 1048576, "  8.50%"], [3, 3, "100%"], [0, 32768, "  0%"], [2000000, 3000999, " 66.64%"]];
    for (const [n, d, text] of seen) expect(formatPercent(n, d)).toBe(text);
  });
  test("sizes: SI prefixes above 999999, binary with -B", async () => {
    const { formatNum } = await import("../../src/formats/map-status-text.ts");
    expect(formatNum(4096)).toBe("    4096 B");
    expect(formatNum(3000999)).toBe("   3000 kB");
    expect(formatNum(1048576)).toBe("   1048 kB");
    expect(formatNum(3000999, true)).toBe("  2930 KiB");
    expect(formatNum(434340000 + 123)).toBe(" 434340 kB");
  });
});

test("a mapfile named '-' is read from standard input (as ddrescuelog reads it)", () => {
  const maps = inputMaps();
  for (const [key, name] of [["-D F.map", "F.map"], ["-D A.map", "A.map"], ["-l- A.map", "A.map"]] as const) {
    const ref = recorded(recording, mapToolsRecipe.name, key);
    const p = Bun.spawnSync([...salvageMap, ...key.replace(name, "-").split(" ")], { stdin: Buffer.from(maps[name]!) });
    expect({ code: p.exitCode, out: p.stdout.toString() }).toEqual({ code: ref.code, out: ref.out });
  }
});

test("hostile sizes: a 2^50-byte bad area listed in 1-byte blocks is refused in one line, quickly", () => {
  const dir = mkdtempSync(join(tmpdir(), "salvage-maptools-"));
  try {
    writeFileSync(join(dir, "huge.map"), "0 ? 1\n0 0x4000000000000 -\n");
    const t0 = performance.now();
    for (const words of [["-l-", "-b", "1", "huge.map"], ["list", "huge.map", "-t", "-", "-b", "1"]]) {
      const p = Bun.spawnSync([...salvageMap, ...words], { cwd: dir, stdin: "ignore" });
      expect(p.exitCode).toBe(2);
      expect(p.stderr.toString().trim().split("\n")).toHaveLength(1);
    }
    expect(performance.now() - t0).toBeLessThan(10_000);
    // -t and -D on it answer at once (O(blocks), not O(bytes)).
    const t = Bun.spawnSync([...salvageMap, "-t", "huge.map"], { cwd: dir });
    expect(t.stdout.toString()).toContain("bad-sector:    1125 TB,  in      1 area(s)  (100%)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
