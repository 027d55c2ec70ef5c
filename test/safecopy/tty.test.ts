// On a terminal (stdout and stderr both ttys) safecopy adds a percentage and a speed smiley
// on stderr, each followed by backspaces, and line breaks after bad areas. Compared with
// Debian safecopy 1.7 under `script` (a pseudo-terminal), recorded and live when installed;
// the smiley's speed class depends on timing, so which smiley is shown is not compared, only where.
import { describe, expect, test } from "bun:test";
import { noScript, ours, screenOf, ttyCases, ttyRecipe, type Screen } from "./tty-cases.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { peer, skipBecause, usesLivePeer } from "../helpers/needs.ts";

const recording = loadOracle<Screen>(ttyRecipe.name);
const live = peer("safecopy");
if (live) usesLivePeer("safecopy");

describe.skipIf(skipBecause(noScript))("terminal output", () => {
  for (const c of ttyCases) {
    test(c.name, () => {
      const theirs = recorded(recording, ttyRecipe.name, c.name);
      expect(theirs.decorated).toBe(true);
      if (c.name.includes("wrapped")) expect(theirs.text).toMatch(/ \[\d+\] \r\n/);
      const mine = screenOf(ours, c.name);
      expect(mine).toEqual(theirs);
      if (live) expect(mine).toEqual(screenOf(live, c.name));
    });
  }
});
