// The damage model's behaviour as a program sees it, one rule per test, observed with dd
// and the shell (real, dynamically linked programs doing real libc calls).
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runSimulated, type SimulateOptions } from "../../src/sim/run.ts";
import { scratchDir, writeImage } from "./helpers.ts";
import { missing, skipBecause } from "../helpers/needs.ts";

const dir = scratchDir("semantics");
const image = join(dir, "disk.img");
const source = writeImage(image, 256 * 512, 5);
const sector = (n: number) => source.subarray(n * 512, n * 512 + 512);

function damageFile(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, `sector-size 512\n${text}`);
  return p;
}

const sim = (damage: string, argv: string[], extra: Partial<SimulateOptions> = {}) =>
  runSimulated({ image, damage, argv, cwd: dir, stdio: "pipe", stdin: "ignore", ...extra });

const dd = (...args: string[]) => ["dd", `if=${image}`, "status=none", ...args];

describe.skipIf(skipBecause(missing("dd", "sh")))("damage semantics", () => {
  test("weak sectors fail N attempts, counted across every process of the run, then read", async () => {
    const d = damageFile("weak.damage", "weak 10 2\n");
    const once = (out: string) => `dd if=${image} of=${out} bs=512 skip=10 count=1 status=none 2>/dev/null; echo $?`;
    const r = await sim(d, ["sh", "-c", `${once("/dev/null")}; ${once("/dev/null")}; ${once("out.weak")}`]);
    expect(r.stdout.trim().split("\n")).toEqual(["1", "1", "0"]);
    expect(readFileSync(join(dir, "out.weak")).equals(sector(10))).toBe(true);
    expect(r.stats.processes).toBe(4); // sh + three dd
    expect(r.stats.weakRecovered).toBe(1);
    expect(r.stats.attemptsPerDamagedSector).toEqual([[10, 3]]);
  });

  test("sectors are processed in order: a weak sector behind a failing one is not attempted", async () => {
    const d = damageFile("order.damage", "weak 10-11 1\n");
    // 1st read: 10 fails (attempt 1), 11 untouched; 2nd: 10 reads, 11 fails -> short read of 512
    const r = await sim(d, ["sh", "-c", `dd if=${image} of=/dev/null bs=1024 skip=5 count=1 status=none; dd if=${image} of=out.order bs=1024 skip=5 count=1 status=none`]);
    expect(readFileSync(join(dir, "out.order")).equals(sector(10))).toBe(true);
    expect(r.stats.attemptsPerDamagedSector).toEqual([[10, 2], [11, 1]]);
    expect(r.stats).toMatchObject({ failedReads: 1, shortReads: 1 });
  });

  test("on-error fail: a read that meets damage fails whole", async () => {
    const d = damageFile("fail.damage", "on-error fail\nbad 13\n");
    const r = await sim(d, dd("of=/dev/null", "bs=4096", "skip=1", "count=1"));
    expect(r.stderr).toContain("Input/output error");
    expect(r.stats).toMatchObject({ failedReads: 1, shortReads: 0, bytes: 0 });
  });

  test("on-error short: the good part before the damage comes back", async () => {
    const d = damageFile("short.damage", "bad 13\n");
    const r = await sim(d, dd("of=out.short", "bs=4096", "skip=1", "count=1"));
    expect(readFileSync(join(dir, "out.short")).equals(source.subarray(8 * 512, 13 * 512))).toBe(true);
    expect(r.stats).toMatchObject({ failedReads: 0, shortReads: 1, bytes: 5 * 512 });
  });

  test("virtual time adds up: per read, per byte, per slow sector, per failure, per seek", async () => {
    const d = damageFile("time.damage", "timing read 1ms\ntiming byte 1ns\ntiming fail 2s\ntiming seek 8ms\ntiming travel 0\nslow 4-5 10ms\nbad 7\n");
    // first dd: sectors 0..6 read one by one, sector 7 fails and dd stops; second dd: sector 20
    const r = await sim(d, ["sh", "-c", `dd if=${image} of=/dev/null bs=512 count=8 status=none; dd if=${image} of=/dev/null bs=512 skip=20 count=1 status=none`]);
    const first = 7 * (1e-3 + 512e-9) + 2 * 10e-3 + (1e-3 + 2); // seven good reads, two slow sectors, one failed read
    const second = 8e-3 + 1e-3 + 512e-9; // a seek away from where the failed read left the head
    expect(r.stats.seeks).toBe(1);
    expect(r.stats.virtualSeconds).toBeCloseTo(first + second, 9);
  });

  test("sleep-scale: virtual time is really slept, scaled", async () => {
    const d = damageFile("sleep.damage", "timing read 0\ntiming byte 0\ntiming seek 0\nslow 1 400ms\n");
    const t = performance.now();
    const r = await sim(d, dd("of=/dev/null", "bs=512", "count=2"), { sleepScale: 0.5 });
    const wall = (performance.now() - t) / 1000;
    expect(r.stats.virtualSeconds).toBeCloseTo(0.4, 9);
    expect(wall).toBeGreaterThanOrEqual(0.2);
    expect(wall).toBeLessThan(5);
  });

  test("--virtual-clock: the program's clocks include the virtual time of its reads not slept; without it they do not", async () => {
    // Two reads of a slow sector, 30 s of virtual time each; `date` (clock_gettime through
    // libc, as every program's clock) before and after them, in the simulated process.
    const d = damageFile("clock.damage", "timing read 0\ntiming byte 0\ntiming seek 0\nslow 1 30s\n");
    const script = `date +%s.%N; ${dd("of=/dev/null", "bs=512", "skip=1", "count=1").join(" ")}; ${dd("of=/dev/null", "bs=512", "skip=1", "count=1").join(" ")}; date +%s.%N`;
    const elapsed = (r: { stdout: string }) => {
      const [a, b] = r.stdout.trim().split("\n").map(Number);
      return b! - a!;
    };
    const plain = await sim(d, ["sh", "-c", script]);
    expect(plain.stats.virtualSeconds).toBeCloseTo(60, 6);
    expect(elapsed(plain)).toBeLessThan(5);
    const virtual = await sim(d, ["sh", "-c", script], { virtualClock: true });
    expect(elapsed(virtual)).toBeGreaterThanOrEqual(60);
    expect(elapsed(virtual)).toBeLessThan(65);
  });

  test("O_DIRECT: a misaligned offset is EINVAL, an aligned read works", async () => {
    const d = damageFile("direct.damage", "");
    const bad = await sim(d, dd("of=/dev/null", "iflag=direct,skip_bytes", "bs=512", "skip=100", "count=1"));
    expect(bad.stderr).toContain("Invalid argument");
    const good = await sim(d, dd("of=out.direct", "iflag=direct", "bs=512", "skip=3", "count=1"));
    expect(readFileSync(join(dir, "out.direct")).equals(sector(3))).toBe(true);
    expect([bad.stats.einvalReads, good.stats.einvalReads]).toEqual([1, 0]);
  });

  test("--as: the virtual path is the device, the size and st_blksize are the model's", async () => {
    const d = damageFile("as.damage", "size 64KiB\nblksize 65536\nbad 3\n");
    const r = await sim(d, ["sh", "-c", "stat -c '%s %o' debug; stat -c %s debug; dd if=debug bs=512 skip=3 count=1 status=none"], { as: "debug" });
    expect(r.stdout.split("\n").slice(0, 2)).toEqual(["65536 65536", "65536"]);
    expect(r.stderr).toContain("Input/output error");
  });

  test("device block: stat says block device, seeking past the end is EINVAL, ioctls answer", async () => {
    const d = damageFile("block.damage", "device block\nsize 32KiB\n");
    const r = await sim(d, ["sh", "-c", "stat -c %F /dev/sim0; blockdev --getsize64 --getss /dev/sim0; dd if=/dev/sim0 of=/dev/null bs=512 skip=100 count=1"], { as: "/dev/sim0" });
    expect(r.stdout.split("\n").slice(0, 3)).toEqual(["block special file", "32768", "512"]);
    expect(r.stderr).toMatch(/cannot skip|Invalid argument/);
  });

  test("a descriptor the shell opened is simulated in the program it starts", async () => {
    const d = damageFile("redirect.damage", "bad 2\n");
    const r = await sim(d, ["sh", "-c", "dd bs=512 count=3 of=/dev/null status=none < debug"], { as: "debug" });
    expect(r.stderr).toContain("Input/output error");
    expect(r.stats.failedReads).toBe(1);
  });

  test("cat and cp fall back from kernel-side copies to read(), so they meet the damage", async () => {
    const d = damageFile("copy.damage", "bad 40\n");
    const r = await sim(d, ["sh", "-c", `cat ${image} > out.cat; echo $?; cp ${image} out.cp; echo $?`]);
    expect(r.stdout.split("\n").slice(0, 2)).toEqual(["1", "1"]);
    for (const f of ["out.cat", "out.cp"]) expect(readFileSync(join(dir, f)).equals(source.subarray(0, 40 * 512))).toBe(true);
    expect(r.stats.failedReads).toBe(2);
  });

  test.skipIf(skipBecause(missing("python3")))("vectored reads: readv and preadv (preadv2 underneath) are one request each", async () => {
    const d = damageFile("vector.damage", "bad 50\n");
    const script = `
import os
fd = os.open("${image}", os.O_RDONLY)
bufs = [bytearray(1024), bytearray(1024)]
print(os.preadv(fd, bufs, 49 * 512))
try:
    os.preadv(fd, bufs, 50 * 512)
except OSError as e:
    print("errno", e.errno)
os.lseek(fd, 47 * 512, 0)
print(os.readv(fd, bufs), os.lseek(fd, 0, 1) // 512)
`;
    const r = await sim(d, ["python3", "-c", script]);
    expect(r.stdout.trim().split("\n")).toEqual(["512", "errno 5", "1536 50"]);
    expect(r.stats).toMatchObject({ reads: 3, failedReads: 1, shortReads: 2 });
  });

  const loopReason = process.getuid?.() !== 0 ? "needs root for a loop device" : !Bun.which("losetup") ? "losetup missing" : undefined;
  test.skipIf(skipBecause(loopReason))("a real block device can back the simulation (its size comes from BLKGETSIZE64)", async () => {
    const loop = Bun.spawnSync(["losetup", "-f", "--show", "-r", image]).stdout.toString().trim();
    if (!loop) return void console.warn("skipped: no free loop device");
    try {
      const d = damageFile("loop.damage", "bad 200\n");
      const r = await runSimulated({ image: loop, damage: d, argv: ["dd", `if=${loop}`, "of=out.loop", "bs=512", "conv=noerror,sync", "status=none"], cwd: dir, stdio: "pipe", stdin: "ignore" });
      expect(r.stats).toMatchObject({ failedReads: 1, bytes: 255 * 512 });
      const out = readFileSync(join(dir, "out.loop"));
      expect(out.subarray(0, 200 * 512).equals(source.subarray(0, 200 * 512))).toBe(true);
      expect(out.subarray(200 * 512, 201 * 512).every((b) => b === 0)).toBe(true);
    } finally {
      Bun.spawnSync(["losetup", "-d", loop]);
    }
  });

  test("the device is read-only: writing fails with EROFS and the image is untouched", async () => {
    const d = damageFile("ro.damage", "");
    const r = await sim(d, ["dd", "if=/dev/zero", `of=${image}`, "bs=512", "count=1", "conv=notrunc"]);
    expect(r.stderr).toContain("Read-only file system");
    expect(readFileSync(image).equals(source)).toBe(true);
  });
});
