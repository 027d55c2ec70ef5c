// Root-only cases of safety.test.ts that compare with Debian safecopy 1.7 (recorded by
// scripts/record-oracles.ts as root, live too when installed): a destination on a full
// tmpfs, and a read-only loop device as the source (its name is replaced by SOURCE).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pattern } from "./engine-harness.ts";
import { digest, type Recipe } from "../helpers/oracle.ts";

export type Cleanups = Array<() => void>;

export function sh(cmd: string[]): string {
  const r = Bun.spawnSync(cmd);
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout.toString().trim();
}

export function loopDevice(file: string, readOnly: boolean, cleanups: Cleanups): string {
  const dev = sh(["losetup", "--find", "--show", ...(readOnly ? ["--read-only"] : []), file]);
  cleanups.push(() => Bun.spawnSync(["losetup", "-d", dev]));
  return dev;
}

export function scratch(cleanups: Cleanups): string {
  const dir = mkdtempSync(join(tmpdir(), "salvage-safety-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `tool -b 4096 -o out.badblocks DIR/src.dat out.dat` into a 1 MiB tmpfs (mounted at DIR/name). */
export function fullDisk(tool: string[], dir: string, name: string, cleanups: Cleanups) {
  const mnt = join(dir, name);
  mkdirSync(mnt);
  sh(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt]);
  cleanups.push(() => Bun.spawnSync(["umount", "-l", mnt]));
  const r = Bun.spawnSync([...tool, "-b", "4096", "-o", "out.badblocks", join(dir, "src.dat"), "out.dat"], { cwd: mnt, timeout: 60_000 });
  // The source's directory is a temporary name: DIR in the report.
  const anon = (t: string) => t.replaceAll(dir, "DIR");
  return { mnt, code: r.exitCode, stdout: anon(r.stdout.toString()), stderr: anon(r.stderr.toString()), dest: readFileSync(join(mnt, "out.dat")) };
}

export const fullDiskSource = () => pattern(3 << 20, 11);

export interface Report {
  code: number | null;
  stdout: string;
  stderr: string;
  /** bytes written (full disk) or the destination digested (block device source) */
  dest: string | number;
}

/** The full-disk run reduced to what must match safecopy. */
export function fullDiskReport(tool: string[], cleanups: Cleanups): Report {
  const dir = scratch(cleanups);
  writeFileSync(join(dir, "src.dat"), fullDiskSource());
  const r = fullDisk(tool, dir, "run", cleanups);
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, dest: r.dest.length };
}

export const blockSourceArgs: string[][] = [[], ["-L", "0", "-b", "4096"], ["--stage1"], ["-s", "100", "-l", "1000", "-b", "1024", "--sync"]];

/** `tool ARGS /dev/loopN out.dat` on a read-only loop device over an 8 MiB pattern. */
export function blockSource(tool: string[], args: string[], cleanups: Cleanups): Report {
  const dir = scratch(cleanups);
  writeFileSync(join(dir, "img"), pattern(8 << 20, 15));
  const dev = loopDevice(join(dir, "img"), true, cleanups);
  const d = join(dir, "run");
  mkdirSync(d);
  const r = Bun.spawnSync([...tool, ...args, dev, "out.dat"], { cwd: d, timeout: 60_000 });
  const anon = (t: string) => t.replaceAll(dev, "SOURCE");
  return { code: r.exitCode, stdout: anon(r.stdout.toString()), stderr: anon(r.stderr.toString()), dest: digest(readFileSync(join(d, "out.dat"))) };
}

const blockKey = (args: string[]) => `block device source: ${args.join(" ") || "defaults"}`;
export { blockKey };

export const rootOnlyRecipe: Recipe<Report> = {
  name: "safecopy/root-only",
  tools: ["safecopy"],
  keys: ["destination full", ...blockSourceArgs.map(blockKey)],
  needsRoot: true,
  run(key, t) {
    const cleanups: Cleanups = [];
    try {
      if (key === "destination full") return fullDiskReport([t.safecopy!], cleanups);
      return blockSource([t.safecopy!], blockSourceArgs.find((a) => blockKey(a) === key)!, cleanups);
    } finally {
      cleanups.reverse().forEach((f) => f());
    }
  },
};
