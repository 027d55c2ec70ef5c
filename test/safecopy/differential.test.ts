// Differential test: salvage's safecopy mode against Debian safecopy 1.7, with the same
// arguments on the same simulated disks: stdout, stderr, exit codes, destination bytes and
// bad-block lists must agree. Compared with the recording of the real safecopy always
// (test/fixtures/oracles/safecopy/differential.json), and with the live one when installed.
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { differentialRecipe, runChain } from "./differential-cases.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { peer, usesLivePeer } from "../helpers/needs.ts";

const ROOT = join(import.meta.dir, "../..");
const recording = loadOracle<ReturnType<typeof runChain>>(differentialRecipe.name);
const live = peer("safecopy");
if (live) usesLivePeer("safecopy");

const bin = mkdtempSync(join(tmpdir(), "salvage-diff-bin-"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));
const ours = join(bin, "safecopy");
writeFileSync(ours, `#!/bin/sh\nexec "${process.execPath}" "${ROOT}/src/main.ts" copy "$@"\n`);
chmodSync(ours, 0o755);

function expectSame(mine: ReturnType<typeof runChain>, theirs: ReturnType<typeof runChain>): void {
  expect(mine.stdout).toBe(theirs.stdout);
  expect(mine.stderr).toBe(theirs.stderr);
  expect(mine.exitCodes).toEqual(theirs.exitCodes);
  expect(Object.keys(mine.files)).toEqual(Object.keys(theirs.files));
  for (const f of Object.keys(theirs.files)) expect(`${f}: ${mine.files[f]}`).toBe(`${f}: ${theirs.files[f]}`);
}

describe("salvage copy = Debian safecopy on simulated disks", () => {
  for (const key of differentialRecipe.keys) {
    test(key, () => {
      const mine = runChain(ours, key);
      expectSame(mine, recorded(recording, differentialRecipe.name, key));
      if (live) expectSame(mine, runChain(live, key));
    });
  }
});
