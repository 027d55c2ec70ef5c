// End-to-end cases of endless-loops.test.ts (and scripts/record-oracles.ts): `salvage
// simulate` with safecopy's simulator.cfg; each tool runs under timeout(1) so that a loop is
// killed, never left running.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pattern } from "./engine-harness.ts";
import type { Recipe } from "../helpers/oracle.ts";

const KiB = 1024;
const ROOT = join(import.meta.dir, "../..");
export const TIMED_OUT = 124;

/** Run `tool ARGS debug out.dat` on the simulated disk, killed after `seconds`; the directory is left for `cleanup`. */
export function simulated(damage: string[], tool: string[], args: string[], seconds: number, cleanup: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "salvage-endless-"));
  cleanup.push(dir);
  writeFileSync(join(dir, "test.dat"), pattern(40 * KiB, 7));
  writeFileSync(join(dir, "simulator.cfg"), ["verbose=0", "blocksize=1024", "filesize=40960", "source=test.dat", ...damage, ""].join("\n"));
  const t0 = performance.now();
  const r = Bun.spawnSync([process.execPath, `${ROOT}/src/main.ts`, "simulate", "--damage", "simulator.cfg", "--", "timeout", String(seconds), ...tool, ...args, "debug", "out.dat"], { cwd: dir, timeout: (seconds + 5) * 1000 });
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : null);
  return { exitCode: r.exitCode, stdout: r.stdout.toString(), seconds: (performance.now() - t0) / 1000, out: read("out.dat"), bb: read("bb")?.toString() ?? null, image: read("test.dat")! };
}

export const e2e = [
  { name: "weak sector, -r 1 (differential soft × r1)", damage: ["softfailcount=2", "softfail=7", "hardfail=12"], args: ["-b", "1024", "-f", "8*", "-r", "1", "-R", "1", "-Z", "0", "-o", "bb"], list: "7\n12\n", holes: [[8191, 8192], [12288, 13312]] },
  { name: "bad sector 3 inside -b 4096, -r 1024", damage: ["hardfail=3"], args: ["-b", "4096", "-f", "1*", "-r", "1024", "-R", "1", "-Z", "0", "-o", "bb"], list: "0\n", holes: [[3072, 4096]] },
];

export interface Unending {
  exitCode: number | null;
  /** Whether it printed "Done!" before timeout(1) killed it. */
  finished: boolean;
}

/** Debian safecopy on the case, killed after 1 s. */
export function unending(tool: string, name: string): Unending {
  const c = e2e.find((x) => x.name === name)!;
  const dirs: string[] = [];
  try {
    const r = simulated(c.damage, [tool], c.args, 1, dirs);
    return { exitCode: r.exitCode, finished: r.stdout.includes("Done!") };
  } finally {
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  }
}

export const endlessRecipe: Recipe<Unending> = {
  name: "safecopy/endless-loops",
  tools: ["safecopy"],
  keys: e2e.map((c) => c.name),
  run: (key, t) => unending(t.safecopy!, key),
};
