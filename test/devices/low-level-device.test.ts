// Recovery actions with a fake drive: which ioctls run after an error, the fallbacks
// when they fail, and raw reads on the CD path.
import { describe, expect, test } from "bun:test";
import { cdLayout, CDS } from "../../src/devices/cd-layout.ts";
import { CdDevice, FloppyDevice, type Log } from "../../src/devices/low-level-device.ts";
import type { Medium } from "../../src/devices/medium.ts";
import { MemorySource } from "../../src/io/memory-source.ts";
import { makeFrame, userByte } from "./fake-cd.ts";
import { fakeIoctls, FAKE_FD } from "./fake-ioctls.ts";

const EIO = 5, EINVAL = 22, EPERM = 1;

function recordingLog() {
  const lines: string[] = [];
  const log: Log = { info: (l) => lines.push(`info ${l}`), debug: (l) => lines.push(`debug ${l}`), warn: (l) => lines.push(`warn ${l}`) };
  return { lines, log };
}

const cdMedium = (status: number, lastWritten: number | null): Medium & { kind: "cd" } =>
  ({ kind: "cd", driveStatus: CDS.DISC_OK, discStatus: status, layout: cdLayout(status), lastWritten, tracks: [] });

describe("CD", () => {
  test("probe announces the layout and sizes the disc from CDROM_LAST_WRITTEN", () => {
    const { lines, log } = recordingLog();
    const d = new CdDevice(cdMedium(CDS.XA_2_2, 100), fakeIoctls({}), FAKE_FD, "/dev/sr0", log);
    expect(d.probe()).toEqual({ blockSize: 2324, size: 232400 });
    expect(lines).toEqual([
      "info CDROM XA 2 - low level access: drive reset, raw read",
      "info CDROM low level block size: 2324",
      "info CDROM low level disk size: 232400",
    ]);
    expect(d.canSeek()).toBe(true);
  });

  test("mixed discs get the reset but no raw reads", () => {
    const { log } = recordingLog();
    const d = new CdDevice(cdMedium(CDS.MIXED, 100), fakeIoctls({}), FAKE_FD, "/dev/sr0", log);
    expect(d.banner).toBe("CDROM mixed mode - low level access: drive reset");
    expect(d.probe()).toEqual({});
    expect(d.canSeek()).toBe(false);
  });

  test("raw reads return the user bytes of mode 2 sectors", () => {
    const l = cdLayout(CDS.DATA_2);
    const io = fakeIoctls({ cdReadRaw: (_fd, msf, frame) => (frame.set(makeFrame(msf.minute * 4500 + msf.second * 75 + msf.frame - 150, 16, 2336, 2)), 0) });
    const d = new CdDevice(cdMedium(CDS.DATA_2, 10), io, FAKE_FD, "/dev/sr0", recordingLog().log);
    const buf = new Uint8Array(2336);
    expect(d.read(new MemorySource(new Uint8Array(0)), buf, 2336, 3 * 2336)).toBe(2336);
    expect(buf[0]).toBe(userByte(3, 0));
    expect(buf[2335]).toBe(userByte(3, 2335));
    expect(l.sectorSize).toBe(2336);
  });

  test("a drive without raw reads falls back to normal reads, once warned", () => {
    const { lines, log } = recordingLog();
    const io = fakeIoctls({ cdReadRaw: () => -EINVAL });
    const d = new CdDevice(cdMedium(CDS.DATA_1, 4), io, FAKE_FD, "/dev/sr0", log);
    const plain = new MemorySource(new Uint8Array(8192).fill(7), {}, 2048);
    const buf = new Uint8Array(2048);
    expect(d.read(plain, buf, 2048, 0)).toBe(2048);
    expect(d.read(plain, buf, 2048, 2048)).toBe(2048);
    expect(buf[0]).toBe(7);
    expect(io.calls.filter((c) => c === "cdReadRaw")).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith("warn"))).toEqual(["warn /dev/sr0: CDROMREADRAW not supported (EINVAL); continuing with normal reads"]);
    expect(d.canSeek()).toBe(false);
  });

  test("a bad sector in raw mode is a read error, not a fallback", () => {
    const d = new CdDevice(cdMedium(CDS.DATA_1, 4), fakeIoctls({ cdReadRaw: () => -EIO }), FAKE_FD, "/dev/sr0", recordingLog().log);
    expect(d.read(new MemorySource(new Uint8Array(8192)), new Uint8Array(2048), 2048, 0)).toBe(-EIO);
    expect(d.canSeek()).toBe(true);
  });

  test("the drive is reset after each read error; a refused reset is reported once and dropped", () => {
    const { lines, log } = recordingLog();
    let resets = 0;
    const ok = new CdDevice(cdMedium(CDS.DATA_1, 4), fakeIoctls({ cdReset: () => (resets++, 0) }), FAKE_FD, "/dev/sr0", log);
    ok.afterReadError();
    ok.afterReadError();
    expect(resets).toBe(2);
    const io = fakeIoctls({ cdReset: () => -EPERM });
    const refused = new CdDevice(cdMedium(CDS.DATA_1, 4), io, FAKE_FD, "/dev/sr1", log);
    refused.afterReadError();
    refused.afterReadError();
    expect(io.calls.filter((c) => c === "cdReset")).toHaveLength(1);
    expect(lines.filter((l) => l.includes("sr1"))).toEqual(["warn /dev/sr1: CDROMRESET failed (EPERM); continuing without it"]);
  });
});

describe("floppy", () => {
  const medium = { kind: "floppy", driveType: "H1440", geometry: null, geometryError: null } as const;

  test("EIO: reset, reopen, twaddle, read again", () => {
    const { lines, log } = recordingLog();
    const io = fakeIoctls({ floppyReset: () => 0, floppyTwaddle: () => 0 });
    const src = Object.assign(new MemorySource(new Uint8Array(4096).fill(9), { weak: [{ start: 512, end: 1024, failures: 1 }] }), {
      reopened: 0,
      reopen() { this.reopened++; },
    });
    const d = new FloppyDevice(medium, io, FAKE_FD, "/dev/fd0", log);
    const buf = new Uint8Array(512);
    expect(d.read(src, buf, 512, 512)).toBe(512);
    expect(buf[0]).toBe(9);
    expect(io.calls).toEqual(["floppyReset", "floppyTwaddle"]);
    expect(src.reopened).toBe(1);
    expect(lines).toContain("debug /dev/fd0: FDTWADDLE ok");
  });

  test("good reads touch no ioctl; other errors are passed on untouched", () => {
    const io = fakeIoctls({});
    const d = new FloppyDevice(medium, io, FAKE_FD, "/dev/fd0", recordingLog().log);
    expect(d.read(new MemorySource(new Uint8Array(1024)), new Uint8Array(512), 512, 0)).toBe(512);
    expect(io.calls).toEqual([]);
  });

  test("a refused twaddle still gives the read its second chance", () => {
    const { lines, log } = recordingLog();
    const io = fakeIoctls({ floppyReset: () => -EPERM, floppyTwaddle: () => -EPERM });
    const d = new FloppyDevice(medium, io, FAKE_FD, "/dev/fd0", log);
    const src = new MemorySource(new Uint8Array(1024), { bad: [[0, 512]] });
    expect(d.read(src, new Uint8Array(512), 512, 0)).toBe(-EIO);
    expect(src.reads).toHaveLength(2);
    d.afterReadError();
    expect(io.calls).toEqual(["floppyReset", "floppyTwaddle"]);
    expect(lines.filter((l) => l.startsWith("warn"))).toHaveLength(2);
  });
});
