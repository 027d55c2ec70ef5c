// A real safecopy run's -T timing and -o bad-block files on a simulated disk (bad sectors
// 100-103 and 700, sector 300 weak for two reads), for the `simulate from-timing` test in
// cli.test.ts; recorded by scripts/record-oracles.ts, and made live when safecopy is installed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { Recipe } from "../helpers/oracle.ts";

const main = join(import.meta.dir, "../../src/main.ts");
export const FT_DAMAGE = "sector-size 512\nbad 100-103\nweak 300 2\nbad 700\n";

export interface TimingRun {
  code: number | null;
  timing: string;
  badblocks: string;
}

export function safecopyTiming(safecopy: string): TimingRun {
  const dir = mkdtempSync(join(tmpdir(), "salvage-ft-"));
  try {
    const sim = (...args: string[]) => Bun.spawnSync([process.execPath, main, "simulate", ...args], { cwd: dir, stdin: "ignore" });
    sim("make", "ft.img", "--size", "512KiB", "--pattern", "clean", "--seed", "9");
    writeFileSync(join(dir, "ft.damage"), FT_DAMAGE);
    const r = sim("--image", "ft.img", "--damage", "ft.damage", "--", safecopy, "-b", "512", "-f", "1*", "-R", "3", "-Z", "0", "-T", "ft.timing", "-o", "ft.badblocks", "ft.img", "ft.out");
    return { code: r.exitCode, timing: readFileSync(join(dir, "ft.timing"), "latin1"), badblocks: readFileSync(join(dir, "ft.badblocks"), "latin1") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const fromTimingRecipe: Recipe<TimingRun> = {
  name: "safecopy/from-timing",
  tools: ["safecopy"],
  keys: ["-b 512 -f 1* -R 3 -Z 0 -T ft.timing -o ft.badblocks"],
  run: (_key, t) => safecopyTiming(t.safecopy!),
};
