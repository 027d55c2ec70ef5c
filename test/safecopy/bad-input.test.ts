// Bad input matrix: salvage copy and Debian safecopy get the same broken command lines
// and files, and must answer with the same exit code and the same message (never a stack
// trace). Also the guard safecopy lacks: a destination that is the source itself.
import { describe, expect, test } from "bun:test";
import { linkSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pattern } from "./engine-harness.ts";
import { badInputDeviations, badInputMatrix, badInputRecipe, oursArgv as ours, runBadInput, SAFECOPY_PATH, type CliOutcome } from "./cli-cases.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { peer, usesLivePeer } from "../helpers/needs.ts";

const recording = loadOracle<CliOutcome>(badInputRecipe.name);
const live = peer("safecopy");
if (live) usesLivePeer("safecopy");

function expectSame(mine: CliOutcome, theirs: CliOutcome, path: string): void {
  expect(mine.code).toBe(theirs.code);
  expect(mine.stderr).toBe(theirs.stderr);
  expect(mine.stdout.replaceAll("Usage: salvage copy", `Usage: ${path}`)).toBe(theirs.stdout);
  expect(mine.out).toBe(theirs.out);
}

describe("bad input: same answer as safecopy (recorded, and live when installed)", () => {
  for (const args of badInputMatrix) {
    test(args.join(" "), () => {
      const mine = runBadInput(ours, args);
      const fixed = badInputDeviations[args.join(" ")] ?? ((r: CliOutcome) => r);
      expectSame(mine, fixed(recorded(recording, badInputRecipe.name, args.join(" "))), SAFECOPY_PATH);
      if (live) expectSame(mine, fixed(runBadInput([live], args)), live);
      expect(mine.stderr).not.toMatch(/\n\s+at |TypeError|RangeError|internal error/);
    });
  }
});

describe("source = destination", () => {
  for (const [name, make] of [
    ["same name", (d: string) => join(d, "src.dat")],
    ["hard link", (d: string) => (linkSync(join(d, "src.dat"), join(d, "link.dat")), join(d, "link.dat"))],
  ] as const) {
    test(`is refused with one line and exit 2 (${name}), the file untouched`, () => {
      const dir = mkdtempSync(join(tmpdir(), "salvage-same-"));
      try {
        const data = pattern(8192, 4);
        writeFileSync(join(dir, "src.dat"), data);
        const target = make(dir);
        const r = Bun.spawnSync([...ours, "-b", "1024", join(dir, "src.dat"), target], { timeout: 20_000 });
        expect(r.exitCode).toBe(2);
        expect(r.stderr.toString()).toBe(`Error: source and destination are the same file: ${target}\n`);
        expect(Buffer.compare(readFileSync(join(dir, "src.dat")), data)).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
