// Helpers for tests that run `salvage rescue` and GNU ddrescue on real files.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../helpers/binary.ts";
import { parseMapfile, serializeMapfile } from "../../src/formats/mapfile.ts";
import { rescueMain } from "../../src/cli/commands/rescue.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { randomData, rng } from "./helpers.ts";

import { peer } from "../helpers/needs.ts";

/** GNU ddrescue is installed (and not hidden by SALVAGE_TEST_NO_PEERS). */
export const hasDdrescue = peer("ddrescue") !== null;

/** The compiled binary if built, else the sources through bun (same code). */
export function salvageCommand(): string[] {
  const bin = join(repoRoot, "dist/salvage");
  return existsSync(bin) ? [bin] : [process.execPath, join(repoRoot, "src/main.ts")];
}

/** Run `salvage rescue` in this process (quiet). */
export async function salvageRescue(dir: string, extra: string[] = [], names = { src: "in.bin", dst: "out.bin", map: "map" }): Promise<number> {
  const args: Record<string, unknown> = { src: join(dir, names.src), dst: join(dir, names.dst), mapfile: join(dir, names.map), quiet: true, scrape: true, trim: true };
  for (let i = 0; i < extra.length; i++) {
    const k = extra[i]!.replace(/^--/, "");
    if (k.startsWith("no-")) args[k.slice(3)] = false;
    else if (["reverse", "sparse", "force", "direct"].includes(k)) args[k] = true;
    else if (k === "test-mode" || k === "domain") args[k] = join(dir, extra[++i]!);
    else args[k] = extra[++i];
  }
  return rescueMain(args, ["rescue", ...extra]);
}

export function ddrescue(dir: string, extra: string[], names = { src: "in.bin", dst: "out.bin", map: "map" }): number {
  const p = Bun.spawnSync([peer("ddrescue") ?? "ddrescue", "-q", ...extra, join(dir, names.src), join(dir, names.dst), join(dir, names.map)], { cwd: dir, stdin: "ignore" });
  return p.exitCode ?? 128;
}

/** Block lines only (what both tools must agree on), and the status character. */
export function mapBlocks(path: string): { status: string; blocks: string } {
  const m = parseMapfile(readFileSync(path, "latin1"));
  return { status: m.current.status, blocks: m.blocks.map((b) => `${b.pos} ${b.size} ${b.status}`).join("\n") };
}

/**
 * A random damaged-disk description as a ddrescue test map ('+' readable), written to
 * dir/test.map, plus a random input image dir/in.bin.
 */
export function makeTestDisk(dir: string, seed: number, size = 2 * 1024 * 1024): void {
  const r = rng(seed);
  const map = new StatusMap(size, "+");
  const areas = 1 + Math.floor(r() * 5);
  for (let k = 0; k < areas; k++) {
    const a = Math.floor((r() * size) / 512) * 512;
    const len = 512 * (1 + Math.floor(r() * (r() < 0.4 ? 3 : 400)));
    map.set(a, len, "-");
  }
  writeFileSync(join(dir, "test.map"), serializeMapfile({ current: { pos: 0, status: "+", pass: 1 }, blocks: map.extents() }));
  writeFileSync(join(dir, "in.bin"), randomData(size, seed));
}
