// GNU ddrescue's answers for the interop tests (ddrescue-interop.test.ts), recorded by
// scripts/record-oracles.ts: on the random test disks of makeTestDisk (ddrescue's own -H
// test mode), its final maps, its images as hashes, and the partial maps it leaves after
// -n and -X0 (kept verbatim: salvage continues them). The disks' bytes are recorded as
// hashes too, so a change in how the test disks are made shows up as a stale recording.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { parseMapfile } from "../../src/formats/mapfile.ts";
import { digest, sha256, type Recipe } from "../helpers/oracle.ts";
import { makeTestDisk, mapBlocks } from "./cli-helpers.ts";

export function ddrescueAt(tool: string, dir: string, extra: string[], names: { src: string; dst: string; map: string }): number {
  const p = Bun.spawnSync([tool, "-q", ...extra, join(dir, names.src), join(dir, names.dst), join(dir, names.map)], { cwd: dir, stdin: "ignore" });
  return p.exitCode ?? 128;
}

export interface DdrescueRun {
  /** sha256 of the test disk's in.bin and test.map */
  disk: string;
  code: number;
  map: { status: string; blocks: string };
  image: string;
}

export interface Partial extends DdrescueRun {
  /** the partial mapfile, verbatim */
  text: string;
}

export const diskId = (dir: string) => sha256(Buffer.concat([readFileSync(join(dir, "in.bin")), readFileSync(join(dir, "test.map"))]));

function run(tool: string, dir: string, extra: string[], dst: string, map: string): DdrescueRun {
  const code = ddrescueAt(tool, dir, ["-H", "test.map", ...extra], { src: "in.bin", dst, map });
  return { disk: diskId(dir), code, map: mapBlocks(join(dir, map)), image: digest(readFileSync(join(dir, dst))) };
}

/** Case names: "full N" (complete run), "part N" (-n for odd N, -X0 for even). */
export const fullSeeds = [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 21, 22, 23, 24, 31];
export const partSeeds = [11, 12, 13, 14];
export const logSeed = 31;

export function ddrescueCase(tool: string, key: string): DdrescueRun | Partial | string {
  const dir = mkdtempSync(join(tmpdir(), "salvage-ddr-"));
  try {
    const [kind, n] = key.split(" ");
    makeTestDisk(dir, Number(n));
    if (kind === "full") return run(tool, dir, [], "full.bin", "full.map");
    if (kind === "part") {
      const r = run(tool, dir, [Number(n) % 2 ? "-n" : "-X0"], "part.bin", "part.map");
      return { ...r, text: readFileSync(join(dir, "part.map"), "latin1") };
    }
    // "log N": ddrescuelog -t's rescued total of a -n map
    run(tool, dir, ["-n"], "d.bin", "d.map");
    const t = Bun.spawnSync([`${tool}log`, "-t", join(dir, "d.map")]).stdout.toString();
    return /rescued:\s+(\S+ \S+)/.exec(t)?.[1] ?? "?";
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const ddrescueRecipe: Recipe<DdrescueRun | Partial | string> = {
  name: "ddrescue/interop",
  tools: ["ddrescue", "ddrescuelog"],
  keys: [...fullSeeds.map((n) => `full ${n}`), ...partSeeds.map((n) => `part ${n}`), `log ${logSeed}`, `log-n ${logSeed}`],
  run(key, t) {
    if (key.startsWith("log-n")) {
      // the -n map itself, for comparing rescued bytes without ddrescuelog
      const dir = mkdtempSync(join(tmpdir(), "salvage-ddr-"));
      try {
        makeTestDisk(dir, logSeed);
        return run(t.ddrescue!, dir, ["-n"], "d.bin", "d.map");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return ddrescueCase(t.ddrescue!, key);
  },
};

/** Bytes a map calls rescued ('+'). */
export function rescuedBytes(blocks: string): number {
  return blocks.split("\n").filter(Boolean).map((l) => l.split(" ")).filter((f) => f[2] === "+").reduce((s, f) => s + Number(f[1]), 0);
}

/** ddrescue's partial image rebuilt from its map: the source's bytes where '+', zeros elsewhere. */
export function rebuildImage(source: Uint8Array, mapText: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (const b of parseMapfile(mapText).blocks) if (b.status === "+") out.set(source.subarray(b.pos, Math.min(b.pos + b.size, size)), b.pos);
  return out;
}
