// On a terminal (stdout and stderr both ttys) safecopy adds a percentage and a speed smiley
// on stderr, each followed by backspaces, and line breaks after bad areas. Compared with
// Debian safecopy under `script` (a pseudo-terminal); the smiley's speed class depends on
// timing, so which smiley is shown is not compared, only where.
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pattern } from "./engine-harness.ts";

const SAFECOPY = "/usr/bin/safecopy";
const ROOT = join(import.meta.dir, "../..");
const ready = existsSync(SAFECOPY) && Bun.spawnSync(["which", "script"]).exitCode === 0;
if (!ready) console.warn("skipping tty tests: needs /usr/bin/safecopy and script(1) (bsdutils)");

const ours = `${process.execPath} ${ROOT}/src/main.ts copy`;
const simulate = `${process.execPath} ${ROOT}/src/main.ts simulate --damage simulator.cfg --`;

function underTerminal(dir: string, command: string): string {
  const r = Bun.spawnSync(["script", "-qec", command, "/dev/null"], { cwd: dir, timeout: 30_000 });
  return r.stdout.toString();
}

const decoration = / {6}(\d+)%\x08+ {2}(;-\}|:-\)|:-\||8-\(|8-X)\x08{5}/g;

/** Symbols and line structure without the decorations, and the sequence of percentages shown. */
function split(screen: string): { text: string; percents: string } {
  // A change of speed class redraws the decorations once more: timing, not behaviour.
  const shown = [...screen.matchAll(decoration)].map((m) => m[1]).filter((p, i, a) => i === 0 || p !== a[i - 1]);
  return { text: screen.replace(decoration, ""), percents: shown.join(" ") };
}

describe.skipIf(!ready)("terminal output", () => {
  const scattered = [2, 7, 8, 20, 30];
  const longArea = Array.from({ length: 45 }, (_, k) => k + 2);
  for (const [name, sim, args, bad] of [
    ["clean copy (t01)", false, "-b 1024 src.dat out.dat", scattered],
    ["bad blocks (t02)", true, "-b 1024 -f 4* -R 1 -Z 0 debug out.dat", scattered],
    ["byte-resolution search", true, "-b 1024 -f 16* -r 1 -R 1 -Z 0 debug out.dat", scattered],
    ["a long bad area, line wrapped after 40 symbols", true, "-b 1024 -f 1* -R 1 -Z 0 debug out.dat", longArea],
  ] as const) {
    test(name, () => {
      const dir = mkdtempSync(join(tmpdir(), "salvage-tty-"));
      try {
        writeFileSync(join(dir, "src.dat"), pattern(61440, 8));
        writeFileSync(join(dir, "simulator.cfg"), `blocksize=1024\nfilesize=61440\nsource=src.dat\n${bad.map((n) => `hardfail=${n}\n`).join("")}`);
        const wrap = (tool: string) => (sim ? `${simulate} ${tool} ${args}` : `${tool} ${args}`);
        const theirs = underTerminal(dir, wrap(SAFECOPY));
        const mine = underTerminal(dir, wrap(ours));
        expect(theirs).toContain("%\b");
        if (name.includes("wrapped")) expect(theirs).toMatch(/ \[\d+\] \r\n/);
        expect(split(mine)).toEqual(split(theirs));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
