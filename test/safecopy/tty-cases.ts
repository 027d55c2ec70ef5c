// Terminal runs for tty.test.ts and scripts/record-oracles.ts: the tool under `script` (a
// pseudo-terminal) on a 60 KiB source, plain or on a simulated disk, and what of its screen
// does not depend on timing (see split()).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pattern } from "./engine-harness.ts";
import type { Recipe } from "../helpers/oracle.ts";

const ROOT = join(import.meta.dir, "../..");
export const ours = `${process.execPath} ${ROOT}/src/main.ts copy`;
const simulate = `${process.execPath} ${ROOT}/src/main.ts simulate --damage simulator.cfg --`;

const scattered = [2, 7, 8, 20, 30];
const longArea = Array.from({ length: 45 }, (_, k) => k + 2);
export const ttyCases: Array<{ name: string; sim: boolean; args: string; bad: number[] }> = [
  { name: "clean copy (t01)", sim: false, args: "-b 1024 src.dat out.dat", bad: scattered },
  { name: "bad blocks (t02)", sim: true, args: "-b 1024 -f 4* -R 1 -Z 0 debug out.dat", bad: scattered },
  { name: "byte-resolution search", sim: true, args: "-b 1024 -f 16* -r 1 -R 1 -Z 0 debug out.dat", bad: scattered },
  { name: "a long bad area, line wrapped after 40 symbols", sim: true, args: "-b 1024 -f 1* -R 1 -Z 0 debug out.dat", bad: longArea },
];

const decoration = / {6}(\d+)%\x08+ {2}(;-\}|:-\)|:-\||8-\(|8-X)\x08{5}/g;

export interface Screen {
  /** Symbols and line structure without the decorations. */
  text: string;
  /** The sequence of percentages shown. */
  percents: string;
  /** Whether the raw screen showed a percentage at all. */
  decorated: boolean;
}

/** What of a screen does not depend on timing: the smiley's speed class does, so not which. */
export function split(screen: string): Screen {
  // A change of speed class redraws the decorations once more: timing, not behaviour.
  // salvage's progress goes to the terminal's title (OSC 0), which safecopy never sets.
  screen = screen.replace(/\x1b\]0;[^\x07]*\x07/g, "");
  const shown = [...screen.matchAll(decoration)].map((m) => m[1]).filter((p, i, a) => i === 0 || p !== a[i - 1]);
  return { text: screen.replace(decoration, ""), percents: shown.join(" "), decorated: screen.includes("%\b") };
}

/** Whether script(1) can give a pseudo-terminal here. */
export const noScript = Bun.which("script") ? undefined : "script(1) missing (Debian bsdutils)";

/** The screen of `tool` (a command line) for case `name`, under a pseudo-terminal. */
export function screenOf(tool: string, name: string): Screen {
  const c = ttyCases.find((x) => x.name === name)!;
  const dir = mkdtempSync(join(tmpdir(), "salvage-tty-"));
  try {
    writeFileSync(join(dir, "src.dat"), pattern(61440, 8));
    writeFileSync(join(dir, "simulator.cfg"), `blocksize=1024\nfilesize=61440\nsource=src.dat\n${c.bad.map((n) => `hardfail=${n}\n`).join("")}`);
    const command = c.sim ? `${simulate} ${tool} ${c.args}` : `${tool} ${c.args}`;
    const r = Bun.spawnSync(["script", "-qec", command, "/dev/null"], { cwd: dir, timeout: 30_000 });
    return split(r.stdout.toString());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const ttyRecipe: Recipe<Screen> = {
  name: "safecopy/tty",
  tools: ["safecopy"],
  keys: ttyCases.map((c) => c.name),
  run: (key, t) => screenOf(t.safecopy!, key),
};
