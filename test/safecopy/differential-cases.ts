// The cases of the safecopy differential test (differential.test.ts), shared with
// scripts/record-oracles.ts: each runs a tool (Debian safecopy when recording, salvage's
// safecopy mode when testing) on a simulated disk (salvage simulate, safecopy simulator.cfg
// format) and keeps stdout, stderr, exit codes and every file left behind (digested).
// Damage patterns and options avoid the documented fixes (docs/compat.md).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pattern } from "./engine-harness.ts";
import { digestDir, type Recipe } from "../helpers/oracle.ts";

const ROOT = join(import.meta.dir, "../..");
const BLOCKS = 40;

const damages: Record<string, string[]> = {
  single: ["hardfail=5"],
  area: ["hardfail=3", "hardfail=4", "hardfail=5", "hardfail=6", "hardfail=20"],
  soft: ["softfailcount=2", "softfail=7", "hardfail=12"],
  end: ["hardfail=37", "hardfail=38", "hardfail=39"],
  start: ["hardfail=0", "hardfail=1", "hardfail=25"],
  scattered: ["hardfail=2", "hardfail=9", "hardfail=10", "hardfail=11", "hardfail=30", "hardfail=31"],
};

// Each entry is a sequence of runs in one directory (chains share out.dat and lists).
const optionSets: Record<string, string[][]> = {
  defaults: [["-b", "1024"]],
  R0: [["-b", "1024", "-R", "0", "-Z", "0"]],
  R1: [["-b", "1024", "-R", "1", "-Z", "0"]],
  R4: [["-b", "1024", "-R", "4", "-Z", "0"]],
  f1: [["-b", "1024", "-f", "1*", "-Z", "0", "-o", "bb"]],
  f10pct: [["-b", "1024", "-f", "10%", "-Z", "0", "-o", "bb"]],
  r1: [["-b", "1024", "-f", "8*", "-r", "1", "-R", "1", "-Z", "0", "-o", "bb"]],
  b512: [["-b", "512", "-f", "4*", "-R", "2", "-Z", "0", "-o", "bb"]],
  marker: [["-b", "1024", "-f", "4*", "-R", "1", "-Z", "0", "-M", "MARKBAAD", "-o", "bb"]],
  exclude: [["-b", "1024", "-f", "2*", "-R", "1", "-Z", "0", "-X", "xblocks", "-M", "XX", "-o", "bb"]],
  // -l ends before the last damage: a bad area reaching -l is the documented -s fix.
  startLength: [["-b", "1024", "-f", "2*", "-R", "1", "-Z", "0", "-s", "2", "-l", "15", "-o", "bb"]],
  stages: [["--stage1", "-b", "1024"], ["--stage2", "-b", "1024"], ["--stage3", "-b", "1024", "-Z", "0"]],
  incremental: [
    ["-b", "1024", "-f", "4*", "-r", "4*", "-R", "1", "-Z", "0", "-o", "p1.bb"],
    ["-b", "1024", "-f", "1*", "-R", "1", "-Z", "0", "-M", "MARKBAAD", "-I", "p1.bb", "-o", "p2.bb"],
  ],
  debug: [["--debug", "255", "-b", "1024", "-f", "2*", "-R", "2", "-Z", "1", "-M", "MM", "-X", "xblocks", "-o", "bb"]],
  debugIncremental: [
    ["-b", "1024", "-f", "4*", "-R", "1", "-Z", "0", "-o", "p1.bb"],
    ["--debug", "255", "-b", "1024", "-f", "1*", "-r", "256", "-R", "1", "-Z", "0", "-M", "MM", "-I", "p1.bb", "-X", "xblocks", "-o", "p2.bb"],
  ],
  continueC: [["-b", "1024", "-l", "12", "-Z", "0"], ["-b", "1024", "-c", "12", "-R", "2", "-Z", "0", "-o", "bb"]],
};

// Debian safecopy loops forever there (a weak sector alternating under byte-wise
// backtracking); salvage ends: deliberate fix 5 in docs/compat.md, endless-loops.test.ts.
const endless = new Set(["soft × r1", "soft × debugIncremental"]);

export interface Outcome {
  stdout: string;
  stderr: string;
  exitCodes: number[];
  files: Record<string, string>;
}

/** Run the chain of `key` ("damage × options") with `tool` as safecopy. */
export function runChain(tool: string, key: string): Outcome {
  const [dname, oname] = key.split(" × ");
  const damage = damages[dname!]!;
  const runs = optionSets[oname!]!;
  const dir = mkdtempSync(join(tmpdir(), "salvage-diff-"));
  try {
    writeFileSync(join(dir, "test.dat"), pattern(BLOCKS * 1024, 7));
    writeFileSync(join(dir, "simulator.cfg"), ["verbose=0", "blocksize=1024", `filesize=${BLOCKS * 1024}`, "source=test.dat", ...damage, ""].join("\n"));
    writeFileSync(join(dir, "xblocks"), "4\n13\n26\n");
    const out: Outcome = { stdout: "", stderr: "", exitCodes: [], files: {} };
    for (const args of runs) {
      const r = Bun.spawnSync([process.execPath, `${ROOT}/src/main.ts`, "simulate", "--damage", "simulator.cfg", "--", tool, ...args, "debug", "out.dat"], { cwd: dir, timeout: 30_000 });
      out.stdout += r.stdout.toString();
      out.stderr += r.stderr.toString();
      out.exitCodes.push(r.exitCode ?? -1);
    }
    out.files = digestDir(dir, ["test.dat", "simulator.cfg"]);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const differentialRecipe: Recipe<Outcome> = {
  name: "safecopy/differential",
  tools: ["safecopy"],
  keys: Object.keys(damages).flatMap((d) => Object.keys(optionSets).map((o) => `${d} × ${o}`)).filter((k) => !endless.has(k)),
  run: (key, tools) => runChain(tools.safecopy!, key),
};
