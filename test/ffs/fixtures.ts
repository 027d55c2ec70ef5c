// Unpacking the FFS fixture images (test/fixtures/ffs, provenance in its README.txt),
// and small helpers for running TSK and salvage in tests.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { missing, usesRecording } from "../helpers/needs.ts";

export const fixtureDir = resolve(import.meta.dir, "../fixtures/ffs");

/** Why TSK cannot be run live (the recordings are used then), or undefined. */
export const noTsk = missing("blkls", "fsstat", "fls", "istat");
/** Why makefs cannot be run live, or undefined. */
export const noMakefs = missing("makefs");
/** @deprecated the fixtures are always there now; kept so older tests still compile. */
export const haveFixtures = true;
/** @deprecated for `describe.skipIf(skipBecause(noTsk))`; TSK's answers are recorded (tsk-cases.ts). */
export const haveTsk = !noTsk;
/** @deprecated for `describe.skipIf(skipBecause(noMakefs))`; makefs images are recorded (makefs-cases.ts). */
export const haveMakefs = !noMakefs;

export interface Fixture {
  name: string;
  /** TSK type, or null when TSK cannot open it (UFS2 with the superblock at 8192). */
  tsk: "ufs1" | "ufs2" | null;
  variant: "UFS1" | "UFS2";
  bigEndian: boolean;
}

export const fixtures: Fixture[] = [
  { name: "ffs.bin.gz", tsk: "ufs2", variant: "UFS2", bigEndian: false },
  { name: "ffs_symlink_test1.bin.gz", tsk: "ufs1", variant: "UFS1", bigEndian: false },
  { name: "ffs_symlink_test2.bin.gz", tsk: "ufs1", variant: "UFS1", bigEndian: false },
  { name: "ffs_symlink_test3.bin.gz", tsk: "ufs1", variant: "UFS1", bigEndian: false },
  { name: "ufs-little.img.zst", tsk: "ufs2", variant: "UFS2", bigEndian: false },
  { name: "ufs-big.img.zst", tsk: "ufs2", variant: "UFS2", bigEndian: true },
  { name: "makefs_ufs1_le.img.gz", tsk: "ufs1", variant: "UFS1", bigEndian: false },
  { name: "makefs_ufs1_be.img.gz", tsk: "ufs1", variant: "UFS1", bigEndian: true },
  { name: "makefs_ufs2_le.img.gz", tsk: null, variant: "UFS2", bigEndian: false },
  { name: "makefs_ufs2_be.img.gz", tsk: null, variant: "UFS2", bigEndian: true },
  { name: "deleted_ufs1_le.img.gz", tsk: "ufs1", variant: "UFS1", bigEndian: false },
  { name: "deleted_ufs1_be.img.gz", tsk: "ufs1", variant: "UFS1", bigEndian: true },
  { name: "deleted_ufs2_le_sb8192.img.gz", tsk: null, variant: "UFS2", bigEndian: false },
  { name: "deleted_ufs2_be_sb8192.img.gz", tsk: null, variant: "UFS2", bigEndian: true },
  { name: "deleted_ufs2_freebsd_le.img.gz", tsk: "ufs2", variant: "UFS2", bigEndian: false },
  { name: "deleted_ufs2_freebsd_be.img.gz", tsk: "ufs2", variant: "UFS2", bigEndian: true },
];

let scratch: string | undefined;
const scratchPrefix = "salvage-ffs-test-";

// Bun's test runner may end without an "exit" event, so a later run also removes the
// scratch directories of test processes that are gone (the pid is in the name).
for (const name of readdirSync(tmpdir())) {
  const pid = Number(name.startsWith(scratchPrefix) ? name.slice(scratchPrefix.length).split("-")[0] : NaN);
  if (!Number.isInteger(pid) || pid === process.pid) continue;
  try {
    process.kill(pid, 0);
  } catch {
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

/** A fresh temporary directory for this test process. */
export function scratchDir(): string {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), `${scratchPrefix}${process.pid}-`));
    // Unpacked images are tens of MiB: never leave them behind.
    const clean = () => rmSync(dir, { recursive: true, force: true });
    process.on("exit", clean);
    process.on("beforeExit", clean);
    scratch = dir;
  }
  return scratch;
}

const unpacked = new Map<string, string>();
/** Path of the uncompressed fixture (unpacked once per process). */
export function fixturePath(name: string): string {
  usesRecording("FFS fixture images (test/fixtures/ffs)");
  let p = unpacked.get(name);
  if (p) return p;
  const packed = readFileSync(join(fixtureDir, name));
  const data = name.endsWith(".zst") ? Bun.zstdDecompressSync(packed) : Bun.gunzipSync(packed);
  p = join(scratchDir(), name.replace(/\.(gz|zst)$/, ""));
  writeFileSync(p, data);
  unpacked.set(name, p);
  return p;
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(name)));
}

/** The text planted in the deleted_* fixtures (README.txt: 60 lines, 4491 bytes). */
export function deletedText(): string {
  let s = "";
  for (let i = 1; i <= 60; i++) s += `DELETED-TEXT line ${i}: It was the best of times, it was the worst of times.\n`;
  return s;
}

export const repoRoot = resolve(import.meta.dir, "../..");

/** Run `bun src/main.ts ARGS` (the CLI as users see it); stdout as bytes. */
export function salvage(args: string[], stdin?: Uint8Array): { code: number; stdout: Uint8Array; stderr: string } {
  const r = Bun.spawnSync([process.execPath, join(repoRoot, "src/main.ts"), ...args], {
    stdin: stdin ?? "ignore",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.exitCode ?? -1, stdout: new Uint8Array(r.stdout), stderr: r.stderr.toString() };
}

export function run(cmd: string[]): { code: number; stdout: Uint8Array; text: string } {
  const r = Bun.spawnSync(cmd, { stdin: "ignore" });
  return { code: r.exitCode ?? -1, stdout: new Uint8Array(r.stdout), text: r.stdout.toString() };
}

export function write(path: string, data: Uint8Array | string): string {
  writeFileSync(path, data);
  return path;
}
