// The device layer on real kernel drivers: one QEMU boot (scripts/qemu/run-vm.sh) runs
// dist/salvage inside a guest with an IDE CD-ROM, a floppy, disks with read errors
// injected by qemu's blkdebug and an in-guest scsi_debug disk with medium errors.
// Expectations come from the media the host built (the ISO, expect.env), never from
// salvage's own output. Skips, saying why, when qemu or the binary is missing.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dir, "../..");
const work = process.env.SALVAGE_QEMU_WORK ?? join(repo, "build/qemu");
const binary = join(repo, "dist/salvage");
const tools = ["qemu-system-x86_64", "busybox", "genisoimage", "mkfs.fat", "mcopy", "cpio", "depmod", "dpkg-deb", "apt-get"];

function skipReason(): string | null {
  if (process.env.SALVAGE_SKIP_VM) return "SALVAGE_SKIP_VM is set";
  const missing = tools.filter((t) => !Bun.which(t, { PATH: `${process.env.PATH}:/usr/sbin:/sbin` }));
  if (missing.length) return `missing ${missing.join(", ")} (apt-get install qemu-system-x86 busybox-static genisoimage mtools dosfstools cpio kmod)`;
  if (!existsSync(binary)) return "dist/salvage not built (bun scripts/build.ts)";
  return null;
}

const reason = skipReason();
if (reason) console.log(`test/devices/vm.test.ts: skipped: ${reason}`);

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
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe.skipIf(reason !== null)("emulated hardware (QEMU)", () => {
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

  test("floppy: info shows the 1.44 MB geometry", () => {
    const c = check("info-floppy");
    expect(c.rc).toBe(0);
    expect(c.output).toContain("floppy (drive type H1440)");
    expect(c.output).toContain("80 tracks, 2 heads, 18 sectors/track, 2880 sectors");
    expect(c.output).toContain("size:            1474560 bytes");
  });

  test("disks: IDE, scsi_debug and virtio are plain block devices of the injected size", () => {
    for (const [name, size] of [["info-sda", 8388608], ["info-vda", 8388608], ["info-sdb", 4194304]] as const) {
      const c = check(name);
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
});
