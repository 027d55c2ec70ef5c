import { describe, expect, test } from "bun:test";
import { CDS } from "../../src/devices/cd-layout.ts";
import { detectMedium } from "../../src/devices/medium.ts";
import { mediumRows } from "../../src/devices/medium-text.ts";
import { fakeIoctls, FAKE_FD } from "./fake-ioctls.ts";

const floppyGeometry = { sectors: 2880, sectorsPerTrack: 18, heads: 2, tracks: 80, stretch: 0, gap: 0x1b, rate: 0, spec1: 0xcf, formatGap: 0x6c };

describe("detectMedium", () => {
  test("regular files get no ioctls at all", () => {
    const io = fakeIoctls({});
    expect(detectMedium(io, FAKE_FD, false)).toEqual({ kind: "file" });
    expect(io.calls).toEqual([]);
  });

  test("a DVD answers DVD_READ_STRUCT and is not taken for a CD", () => {
    const io = fakeIoctls({
      dvdPhysical: () => ({ bookType: 0, bookVersion: 1, discSize: 0, layers: 2 }),
      cdDiscStatus: () => CDS.DATA_1,
      cdDriveStatus: () => CDS.DISC_OK,
      cdLastWritten: () => 2_000_000,
    });
    const m = detectMedium(io, FAKE_FD, true);
    expect(m.kind).toBe("dvd");
    expect(io.calls).not.toContain("cdDiscStatus");
    expect(mediumRows(m)[0]).toEqual(["medium", "DVD (book type 0, 2 layers)"]);
  });

  test.each([
    [CDS.DATA_1, 2048, 16],
    [CDS.XA_2_1, 2048, 24],
    [CDS.XA_2_2, 2324, 24],
    [CDS.AUDIO, 2352, 0],
  ])("a CD with disc status %d has a %d-byte layout at %d", (status, size, offset) => {
    const io = fakeIoctls({
      cdDiscStatus: () => status,
      cdDriveStatus: () => CDS.DISC_OK,
      cdLastWritten: () => 517,
      cdTocHeader: () => ({ first: 1, last: 1 }),
      cdTocEntry: (_fd, t) => ({ control: t === 0xaa || status !== CDS.AUDIO ? 4 : 0, adr: 1, lba: t === 0xaa ? 517 : 0, dataMode: 1 }),
    });
    const m = detectMedium(io, FAKE_FD, true);
    if (m.kind !== "cd") throw new Error(`detected ${m.kind}`);
    expect([m.layout.sectorSize, m.layout.dataOffset]).toEqual([size, offset]);
    expect(m.tracks.map((t) => t.track)).toEqual([1, 0xaa]);
    expect(m.lastWritten).toBe(517);
  });

  test("an empty CD drive is reported as such", () => {
    const io = fakeIoctls({ cdDiscStatus: () => CDS.NO_DISC, cdDriveStatus: () => CDS.TRAY_OPEN });
    const m = detectMedium(io, FAKE_FD, true);
    expect(m).toEqual({ kind: "cd-drive-empty", driveStatus: CDS.TRAY_OPEN, discStatus: CDS.NO_DISC });
    expect(mediumRows(m)).toContainEqual(["drive status", "tray open"]);
  });

  test("a floppy is found with FDGETDRVTYP, never with a reset", () => {
    const io = fakeIoctls({ floppyDriveType: () => "H1440", floppyGeometry: () => floppyGeometry });
    const m = detectMedium(io, FAKE_FD, true);
    expect(m).toEqual({ kind: "floppy", driveType: "H1440", geometry: floppyGeometry, geometryError: null });
    expect(io.calls).not.toContain("floppyReset");
    expect(mediumRows(m)).toContainEqual(["geometry", "80 tracks, 2 heads, 18 sectors/track, 2880 sectors"]);
  });

  test("a floppy whose format is not detected yet keeps the errno", () => {
    const io = fakeIoctls({ floppyDriveType: () => "H1440", floppyGeometry: () => -19 });
    const m = detectMedium(io, FAKE_FD, true);
    expect(m).toMatchObject({ kind: "floppy", geometry: null, geometryError: 19 });
    expect(mediumRows(m)).toContainEqual(["geometry", "unknown (ENODEV)"]);
  });

  test("any other block device is plain", () => {
    expect(detectMedium(fakeIoctls({}), FAKE_FD, true)).toEqual({ kind: "block" });
  });
});

describe("mediumSize", () => {
  test("overrides the block layer only where it is wrong", async () => {
    const { mediumSize } = await import("../../src/devices/probe-medium.ts");
    expect(mediumSize({ kind: "cd-drive-empty", driveStatus: CDS.NO_DISC, discStatus: CDS.NO_DISC })).toBe(0);
    expect(mediumSize({ kind: "floppy", driveType: "H1440", geometry: floppyGeometry, geometryError: null })).toBe(1474560);
    expect(mediumSize({ kind: "floppy", driveType: "H1440", geometry: null, geometryError: 19 })).toBeNull();
    expect(mediumSize({ kind: "block" })).toBeNull();
  });
});
