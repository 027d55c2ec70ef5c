// The device layer on real kernel drivers: one QEMU boot (scripts/qemu/run-vm.sh) runs
// dist/salvage inside a guest with an IDE CD-ROM, a floppy, disks with read errors
// injected by qemu's blkdebug and an in-guest scsi_debug disk with medium errors.
// Expectations come from the media the host built (the ISO, expect.env), never from
// salvage's own output. Skips, saying why, when qemu or the binary is missing.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { missing, skipBecause } from "../helpers/needs.ts";

const repo = resolve(import.meta.dir, "../..");
const work = process.env.SALVAGE_QEMU_WORK ?? join(repo, "build/qemu");
const binary = join(repo, "dist/salvage");
const tools = ["qemu-system-x86_64", "busybox", "genisoimage", "mkfs.fat", "mcopy", "cpio", "depmod", "dpkg-deb", "apt-get"];

function skipReason(): string | null {
  if (process.env.SALVAGE_SKIP_VM) return "SALVAGE_SKIP_VM is set";
  if (process.arch !== "x64") return `the guest runs the host's x86-64 binary; this host is ${process.arch}`;
  const absent = missing(...tools);
  if (absent) return `QEMU rig: ${absent}`;
  if (!existsSync(binary)) return "dist/salvage not built (bun scripts/build.ts)";
  return null;
}

const reason = skipReason();

interface Check { output: string; rc: number }
const checks = new Map<string, Check>();
let expectEnv: Record<string, string> = {};
let vmStatus = -1;
let log = "";

beforeAll(() => {
  if (reason) return;
  const started = performance.now();
  const r = Bun.spawnSync([join(repo, "scripts/qemu/run-vm.sh"), binary], {
    env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin`, SALVAGE_QEMU_WORK: work },
    stdout: "pipe", stderr: "pipe",
  });
  vmStatus = r.exitCode ?? -1;
  log = r.stdout.toString();
  console.log(`test/devices/vm.test.ts: VM run took ${((performance.now() - started) / 1000).toFixed(1)} s, status ${vmStatus}`);
  if (vmStatus !== 0) console.log(log.slice(-4000) + r.stderr.toString().slice(-2000));
  for (const m of log.matchAll(/^== CHECK (\S+)\r?\n([\s\S]*?)^== END \1 rc=(\d+)/gm)) {
    checks.set(m[1]!, { output: m[2]!.replace(/\r/g, ""), rc: Number(m[3]) });
  }
  for (const line of readFileSync(join(work, "payload/expect.env"), "utf8").split("\n")) {
    const m = /^(\w+)="?([^"]*)"?$/.exec(line);
    if (m) expectEnv[m[1]!] = m[2]!;
  }
}, 600_000);

function check(name: string): Check {
  const c = checks.get(name);
  if (!c) throw new Error(`the guest did not run check ${name}; console:\n${log.slice(-3000)}`);
  return c;
}

const iso = () => readFileSync(join(work, "cd.iso"));
const sha256 = (b: Uint8Array) => new Bun.CryptoHasher("sha256").update(b).digest("hex");
const field = (c: Check, name: string) => new RegExp(`^${name}: ?(.*)$`, "m").exec(c.output)?.[1]?.trim() ?? "";

/** The image a perfect rescue of `file` gives when `bad` sectors (512 bytes) read as holes. */
function withHoles(file: string, bad: string): string {
  const data = new Uint8Array(readFileSync(join(work, file)));
  for (const s of bad.split(" ").filter(Boolean).map(Number)) data.fill(0, s * 512, (s + 1) * 512);
  return sha256(data);
}
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe.skipIf(skipBecause(reason))("emulated hardware (QEMU)", () => {
  test("the guest ran every check and powered off cleanly", () => {
    expect(vmStatus).toBe(0);
    expect(log).toContain("== CHECKS DONE");
  });

  test("CD: info shows drive status, data mode 1 and the ISO's geometry", () => {
    const c = check("info-cd");
    expect(c.rc).toBe(0);
    expect(c.output).toContain("medium:          data CD, mode 1");
    expect(c.output).toContain("drive status:    disc ok");
    expect(c.output).toContain(`size:            ${expectEnv.CD_SIZE} bytes`);
    expect(c.output).toContain("logical sector:  2048 bytes");
    const j = JSON.parse(check("info-cd-json").output);
    expect(j.medium.discStatus).toBe(101); // CDS_DATA_1 in <linux/cdrom.h>
    expect(j.medium.layout).toEqual({ name: "Mode1", sectorSize: 2048, dataOffset: 16 });
    expect(j.medium.lastWritten * 2048).toBe(Number(expectEnv.CD_SIZE));
  });

  test("CD drive without a disc: info says so", () => {
    const c = check("info-cd-empty");
    expect(c.rc).toBe(0);
    expect(c.output).toContain("medium:          CD/DVD drive, no readable disc");
    expect(c.output).toContain("size:            0 bytes");
    expect(c.output).toMatch(/drive status: +(no disc|tray open|drive not ready)/);
  });

  test("floppy: info shows the 1.44 MB geometry", () => {
    const c = check("info-floppy");
    expect(c.rc).toBe(0);
    expect(c.output).toContain("floppy (drive type H1440)");
    expect(c.output).toContain("80 tracks, 2 heads, 18 sectors/track, 2880 sectors");
    expect(c.output).toContain("size:            1474560 bytes");
  });

  test("disks: IDE, scsi_debug and virtio are plain block devices of the injected size", () => {
    for (const [name, image] of [["info-sda", "sda.img"], ["info-vda", "vda.img"], ["info-sdb", "payload/sdb.img"]] as const) {
      const c = check(name);
      const size = readFileSync(join(work, image)).length;
      expect(c.output).toContain(`size:            ${size} bytes`);
      expect(c.output).toContain("medium:          block device");
    }
  });

  test("CD raw read: 2352 bytes, sync pattern, header MSF of the LBA, mode 1, the ISO's data", () => {
    const data = iso();
    const last = Number(expectEnv.CD_SIZE) / 2048 - 1;
    for (const [name, lba, msf] of [["cdraw-16", 16, "00:02:16"], ["cdraw-0", 0, "00:02:00"], ["cdraw-last", last, null]] as const) {
      const c = check(name);
      expect(c.rc).toBe(0);
      expect(c.output).toContain(`LBA ${lba} requested as MSF ${msf ?? ""}`);
      expect(c.output).toContain("sync:   00ffffffffffffffffffff00 (ok)");
      expect(c.output).toMatch(new RegExp(`header: [0-9a-f]{6}01: MSF [0-9:]+ = LBA ${lba} \\(matches`));
      expect(c.output).toContain(`data:   ${hex(data.subarray(lba * 2048, lba * 2048 + 16))}...`);
    }
    expect(check("cdraw-16").output).toContain("data:   0143443030310100"); // "\x01CD001\x01\0": the PVD
    // The cooked mode-1 read gives the same 2048 bytes; QEMU rejects mode-2 reads (qemu-devices.md).
    expect(check("cdraw-16").output).toContain("CDROMREADMODE1: 2048 bytes, equal to the raw frame's data");
    expect(check("cdraw-16").output).toContain("CDROMREADMODE2: EIO");
  });

  test("CD: the injected bad LBA fails the raw read; CDROMRESET works afterwards", () => {
    const bad = check("cdraw-bad");
    expect(bad.rc).toBe(1);
    expect(bad.output).toContain(`CDROMREADRAW at LBA ${expectEnv.CD_BAD_LBA}`);
    expect(bad.output).toContain("EIO");
    const reset = check("cdraw-reset");
    expect(reset.rc).toBe(0);
    expect(reset.output).toContain("CDROMRESET: ok");
    expect(reset.output).toContain("(matches");
  });

  test("CD: a copy of the whole disc through raw reads (-L 2) equals the ISO", () => {
    const c = check("cd-copy-L2");
    expect(c.rc).toBe(0);
    expect(c.output).toContain("stderr: 1 CDROM Mode1 - low level access: drive reset, raw read");
    expect(c.output).toContain(`stderr: 1 CDROM low level disk size: ${expectEnv.CD_SIZE}`);
    expect(field(c, "badblocks")).toBe("");
    expect(field(c, "sha256")).toBe(expectEnv.CD_SHA256!);
  });

  test("CD with a bad LBA, -L 1: drive reset after the error, exactly that LBA lost, as on a plain file with the same damage", async () => {
    const c = check("cd-bad-L1");
    expect(c.rc).toBe(1);
    expect(c.output).toMatch(/stderr: \d+ debug: \/dev\/sr1: CDROMRESET ok/);
    expect(field(c, "badblocks")).toBe(expectEnv.CD_BAD_LBA!);
    // The same command on the host, on the ISO as a plain file with LBA 200 bad (salvage simulate).
    const dir = join(work, "host-cd");
    Bun.spawnSync(["rm", "-rf", dir]);
    Bun.spawnSync(["mkdir", "-p", dir]);
    await Bun.write(join(dir, "cd.damage"), `sector-size 2048\nbad ${expectEnv.CD_BAD_LBA}\n`);
    const r = Bun.spawnSync([binary, "simulate", "--image", join(work, "cd.iso"), "--damage", join(dir, "cd.damage"), "--",
      binary, "copy", "-L", "1", "-b", "2048", "-f", "1*", "-r", "1*", "-R", "2", "-Z", "1", "-o", join(dir, "bad"), join(work, "cd.iso"), join(dir, "img")], { stdout: "pipe", stderr: "pipe" });
    expect(r.exitCode).toBe(1);
    expect(readFileSync(join(dir, "bad"), "utf8").trim().split("\n").join(" ")).toBe(field(c, "badblocks"));
    expect(sha256(readFileSync(join(dir, "img")))).toBe(field(c, "sha256"));
  });

  test("CD with a bad LBA, -L 0: buffered reads lose the whole 4 KiB page (LBA 200 and 201)", () => {
    const c = check("cd-bad-L0");
    expect(c.rc).toBe(1);
    const bad = Number(expectEnv.CD_BAD_LBA);
    expect(field(c, "badblocks")).toBe(`${bad} ${bad + 1}`);
  });

  for (const [name, image, bad] of [["sda-sync", "sda.img", "SDA_BAD"], ["vda-sync", "vda.img", "VDA_BAD"], ["sdb-sync", "payload/sdb.img", "SDB_BAD"]] as const) {
    test(`disk ${name.slice(0, 3)} with --sync -b 512: bad-block list is exactly the injected sectors, good data complete`, () => {
      const c = check(name);
      expect(c.rc).toBe(1);
      expect(field(c, "badblocks")).toBe(expectEnv[bad]!);
      expect(field(c, "size")).toBe(String(readFileSync(join(work, image)).length));
      expect(field(c, "sha256")).toBe(withHoles(image, expectEnv[bad]!));
    });
  }

  test("floppy: a whole-disk copy with -L 1 equals the image", () => {
    const c = check("fd-copy-L1");
    expect(c.rc).toBe(0);
    expect(c.output).toContain("stderr: 1 Floppy low level access: drive reset, twaddle ioctl");
    expect(field(c, "badblocks")).toBe("");
    expect(field(c, "sha256")).toBe(expectEnv.FD_SHA256!);
  });

  test("floppy: after controller read errors, FDRESET and FDTWADDLE are issued (--debug)", () => {
    const c = check("fd-error-L1");
    expect(c.rc).toBe(1);
    expect(field(c, "badblocks")).toBe("0 1");
    expect(c.output).toMatch(/stderr: +\d+ debug: \/dev\/fd0u720: FDRESET ok/);
    expect(c.output).toMatch(/stderr: +\d+ debug: \/dev\/fd0u720: FDTWADDLE ok/);
  });
});

