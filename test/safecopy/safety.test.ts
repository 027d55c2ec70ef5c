// Safety proofs with real kernels objects (root only; skipped with the reason otherwise):
// the source is never opened for writing (strace), a full destination stops with one line
// and exit 2 leaving a resumable copy, and a block-device destination is never truncated.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { pattern } from "./engine-harness.ts";
import { blockKey, blockSource, blockSourceArgs, fullDisk, fullDiskSource, loopDevice, rootOnlyRecipe, scratch as scratchIn, sh, type Cleanups, type Report } from "./safety-cases.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { missing, peer, skipBecause, usesLivePeer } from "../helpers/needs.ts";

const ROOT = join(import.meta.dir, "../..");
const copy = [process.execPath, `${ROOT}/src/main.ts`, "copy"];
const isRoot = process.getuid?.() === 0;
const has = (tool: string) => Bun.spawnSync(["which", tool]).exitCode === 0;
const noRoot = isRoot ? undefined : "needs root (loop devices, tmpfs mounts)";
const noLoop = noRoot ?? (has("losetup") ? undefined : "losetup missing (util-linux)");
const recording = loadOracle<Report>(rootOnlyRecipe.name);
const live = peer("safecopy");
if (live) usesLivePeer("safecopy");

const cleanups: Cleanups = [];
afterAll(() => cleanups.reverse().forEach((f) => f()));
const scratch = () => scratchIn(cleanups);

/** openat() calls naming `path` in an strace log, with their flags. */
function opensOf(log: string, path: string): string[] {
  return log.split("\n").filter((l) => l.includes("open") && l.includes(`"${path}"`));
}

describe.skipIf(skipBecause(noLoop ?? missing("strace")))("the source is opened read-only", () => {
  test("read-only loop device and a read-only file: no write-capable open, data copied", () => {
    const dir = scratch();
    const data = pattern(2 << 20, 9);
    writeFileSync(join(dir, "img"), data);
    chmodSync(join(dir, "img"), 0o444);
    const dev = loopDevice(join(dir, "img"), true, cleanups);
    for (const src of [dev, join(dir, "img")]) {
      const log = join(dir, "strace.log");
      const r = Bun.spawnSync([peer("strace")!, "-f", "-qq", "-e", "trace=open,openat,openat2,creat", "-o", log, ...copy, "-b", "4096", src, join(dir, "out.dat")], { timeout: 60_000 });
      expect(r.exitCode).toBe(0);
      const opens = opensOf(readFileSync(log, "latin1"), src);
      expect(opens.length).toBeGreaterThan(0);
      for (const o of opens) {
        expect(o).toContain("O_RDONLY");
        expect(o).not.toMatch(/O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/);
      }
      expect(Buffer.compare(readFileSync(join(dir, "out.dat")), data)).toBe(0);
    }
  }, 120_000);
});

describe.skipIf(skipBecause(noRoot))("destination full", () => {
  test("one clear line, exit 2, same report as safecopy (recorded, and live when installed), data intact, resumable with -I", () => {
    const dir = scratch();
    const data = fullDiskSource();
    writeFileSync(join(dir, "src.dat"), data);
    const mine = fullDisk(copy, dir, "ours", cleanups);
    expect(mine.code).toBe(2);
    expect(mine.stderr).toBe("\nError: write to out.dat failed : No space left on device\n");
    expect(mine.stdout).toContain("\nAborted because of error!\n");
    expect(mine.dest.length).toBeGreaterThan(0);
    expect(Buffer.compare(mine.dest, data.subarray(0, mine.dest.length))).toBe(0);
    expect(readFileSync(join(mine.mnt, "out.badblocks"), "latin1")).toBe("");
    const report: Report = { code: mine.code, stdout: mine.stdout, stderr: mine.stderr, dest: mine.dest.length };
    expect(report).toEqual(recorded(recording, rootOnlyRecipe.name, "destination full"));
    if (live) {
      const theirs = fullDisk([live], dir, "theirs", cleanups);
      expect(report).toEqual({ code: theirs.code, stdout: theirs.stdout, stderr: theirs.stderr, dest: theirs.dest.length });
    }

    sh(["mount", "-o", "remount,size=8m", mine.mnt]);
    const again = Bun.spawnSync([...copy, "-b", "4096", "-I", "out.badblocks", "-o", "run2.badblocks", join(dir, "src.dat"), "out.dat"], { cwd: mine.mnt, timeout: 60_000 });
    expect(again.exitCode).toBe(0);
    expect(Buffer.compare(readFileSync(join(mine.mnt, "out.dat")), data)).toBe(0);
  }, 120_000);
});

describe.skipIf(skipBecause(noLoop))("block device destination", () => {
  test("is written in place, never truncated or cleared past the copy", () => {
    const dir = scratch();
    const old = pattern(4 << 20, 12);
    writeFileSync(join(dir, "target.img"), old);
    const dev = loopDevice(join(dir, "target.img"), false, cleanups);
    const data = pattern(1 << 20, 13);
    writeFileSync(join(dir, "src.dat"), data);
    const r = Bun.spawnSync([...copy, "-b", "4096", join(dir, "src.dat"), dev], { timeout: 60_000 });
    expect(r.exitCode).toBe(0);
    Bun.spawnSync(["blockdev", "--flushbufs", dev]);
    const after = readFileSync(join(dir, "target.img"));
    expect(after.length).toBe(old.length);
    expect(Buffer.compare(after.subarray(0, data.length), data)).toBe(0);
    expect(Buffer.compare(after.subarray(data.length), old.subarray(data.length))).toBe(0);
  }, 120_000);
});

test("a reader that goes away (| head) does not stop the rescue or print an error", () => {
  const dir = scratch();
  const data = pattern(4 << 20, 14);
  writeFileSync(join(dir, "src.dat"), data);
  const cmd = `"${copy[0]}" "${copy[1]}" copy -b 512 src.dat out.dat | head -c 20 >/dev/null; echo "rc=\${PIPESTATUS[0]}" >&2`;
  const r = Bun.spawnSync(["bash", "-c", cmd], { cwd: dir, timeout: 60_000 });
  expect(r.stderr.toString()).toBe("rc=0\n");
  expect(Buffer.compare(readFileSync(join(dir, "out.dat")), data)).toBe(0);
});

describe.skipIf(skipBecause(noLoop))("block device source", () => {
  for (const args of blockSourceArgs) {
    test(`same output as safecopy (recorded, and live when installed): ${args.join(" ") || "defaults"}`, () => {
      const mine = blockSource(copy, args, cleanups);
      expect(mine).toEqual(recorded(recording, rootOnlyRecipe.name, blockKey(args)));
      if (live) expect(mine).toEqual(blockSource([live], args, cleanups));
    }, 60_000);
  }
});
