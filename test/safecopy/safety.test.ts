// Safety proofs with real kernels objects (root only; skipped with the reason otherwise):
// the source is never opened for writing (strace), a full destination stops with one line
// and exit 2 leaving a resumable copy, and a block-device destination is never truncated.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pattern } from "./engine-harness.ts";

const ROOT = join(import.meta.dir, "../..");
const copy = [process.execPath, `${ROOT}/src/main.ts`, "copy"];
const isRoot = process.getuid?.() === 0;
const has = (tool: string) => Bun.spawnSync(["which", tool]).exitCode === 0;
const canLoop = isRoot && has("losetup");
if (!isRoot) console.warn("skipping safecopy safety tests that need root (loop devices, tmpfs mounts)");
if (!has("strace")) console.warn("skipping the open-flags test: strace not installed (apt-get install strace)");

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.reverse().forEach((f) => f()));

function sh(cmd: string[]): string {
  const r = Bun.spawnSync(cmd);
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout.toString().trim();
}

function loopDevice(file: string, readOnly: boolean): string {
  const dev = sh(["losetup", "--find", "--show", ...(readOnly ? ["--read-only"] : []), file]);
  cleanups.push(() => Bun.spawnSync(["losetup", "-d", dev]));
  return dev;
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "salvage-safety-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** openat() calls naming `path` in an strace log, with their flags. */
function opensOf(log: string, path: string): string[] {
  return log.split("\n").filter((l) => l.includes("open") && l.includes(`"${path}"`));
}

describe.skipIf(!canLoop || !has("strace"))("the source is opened read-only", () => {
  test("read-only loop device and a read-only file: no write-capable open, data copied", () => {
    const dir = scratch();
    const data = pattern(2 << 20, 9);
    writeFileSync(join(dir, "img"), data);
    chmodSync(join(dir, "img"), 0o444);
    const dev = loopDevice(join(dir, "img"), true);
    for (const src of [dev, join(dir, "img")]) {
      const log = join(dir, "strace.log");
      const r = Bun.spawnSync(["strace", "-f", "-qq", "-e", "trace=open,openat,openat2,creat", "-o", log, ...copy, "-b", "4096", src, join(dir, "out.dat")], { timeout: 60_000 });
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

describe.skipIf(!isRoot)("destination full", () => {
  function fullDisk(tool: string[], dir: string, name: string) {
    const mnt = join(dir, name);
    mkdirSync(mnt);
    sh(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt]);
    cleanups.push(() => Bun.spawnSync(["umount", "-l", mnt]));
    const r = Bun.spawnSync([...tool, "-b", "4096", "-o", "out.badblocks", join(dir, "src.dat"), "out.dat"], { cwd: mnt, timeout: 60_000 });
    return { mnt, code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString(), dest: readFileSync(join(mnt, "out.dat")) };
  }

  test("one clear line, exit 2, same report as safecopy, data intact, resumable with -I", () => {
    const dir = scratch();
    const data = pattern(3 << 20, 11);
    writeFileSync(join(dir, "src.dat"), data);
    const mine = fullDisk(copy, dir, "ours");
    expect(mine.code).toBe(2);
    expect(mine.stderr).toBe("\nError: write to out.dat failed : No space left on device\n");
    expect(mine.stdout).toContain("\nAborted because of error!\n");
    expect(mine.dest.length).toBeGreaterThan(0);
    expect(Buffer.compare(mine.dest, data.subarray(0, mine.dest.length))).toBe(0);
    expect(readFileSync(join(mine.mnt, "out.badblocks"), "latin1")).toBe("");
    if (existsSync("/usr/bin/safecopy")) {
      const theirs = fullDisk(["/usr/bin/safecopy"], dir, "theirs");
      expect({ ...mine, mnt: "", dest: mine.dest.length }).toEqual({ ...theirs, mnt: "", dest: theirs.dest.length });
    }

    sh(["mount", "-o", "remount,size=8m", mine.mnt]);
    const again = Bun.spawnSync([...copy, "-b", "4096", "-I", "out.badblocks", "-o", "run2.badblocks", join(dir, "src.dat"), "out.dat"], { cwd: mine.mnt, timeout: 60_000 });
    expect(again.exitCode).toBe(0);
    expect(Buffer.compare(readFileSync(join(mine.mnt, "out.dat")), data)).toBe(0);
  }, 120_000);
});

describe.skipIf(!canLoop)("block device destination", () => {
  test("is written in place, never truncated or cleared past the copy", () => {
    const dir = scratch();
    const old = pattern(4 << 20, 12);
    writeFileSync(join(dir, "target.img"), old);
    const dev = loopDevice(join(dir, "target.img"), false);
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

describe.skipIf(!canLoop || !existsSync("/usr/bin/safecopy"))("block device source", () => {
  for (const args of [[], ["-L", "0", "-b", "4096"], ["--stage1"], ["-s", "100", "-l", "1000", "-b", "1024", "--sync"]]) {
    test(`same output as safecopy: ${args.join(" ") || "defaults"}`, () => {
      const dir = scratch();
      writeFileSync(join(dir, "img"), pattern(8 << 20, 15));
      const dev = loopDevice(join(dir, "img"), true);
      const [theirs, mine] = [["/usr/bin/safecopy"], copy].map((tool, k) => {
        const d = join(dir, `run${k}`);
        mkdirSync(d);
        const r = Bun.spawnSync([...tool, ...args, dev, "out.dat"], { cwd: d, timeout: 60_000 });
        return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString(), out: readFileSync(join(d, "out.dat")).toString("hex") };
      });
      expect(mine).toEqual(theirs!);
    }, 60_000);
  }
});
