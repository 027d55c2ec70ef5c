// Disc status -> raw layout. Expected values are safecopy's table (reference §9) and
// the ECMA-130 / CD-ROM XA sector formats.
import { expect, test } from "bun:test";
import { cdLayout, CDS, discTypeName, driveStatusName } from "../../src/devices/cd-layout.ts";

test.each([
  [CDS.AUDIO, 2352, 0, "audio"],
  [CDS.DATA_1, 2048, 16, "Mode1"],
  [CDS.DATA_2, 2336, 16, "Mode2"],
  [CDS.XA_2_1, 2048, 24, "XA 1"],
  [CDS.XA_2_2, 2324, 24, "XA 2"],
  [CDS.MIXED, 0, 0, "mixed mode"],
  [999, 0, 0, "unknown disc"],
])("disc status %d: %d bytes at %d (%s)", (status, size, offset, name) => {
  expect(cdLayout(status)).toEqual({ sectorSize: size, dataOffset: offset, name });
});

test("the user bytes of every layout fit in a raw frame", () => {
  for (const s of [CDS.AUDIO, CDS.DATA_1, CDS.DATA_2, CDS.XA_2_1, CDS.XA_2_2]) {
    const l = cdLayout(s);
    expect(l.dataOffset + l.sectorSize).toBeLessThanOrEqual(2352);
  }
});

test("names", () => {
  expect(driveStatusName(CDS.DISC_OK)).toBe("disc ok");
  expect(driveStatusName(CDS.TRAY_OPEN)).toBe("tray open");
  expect(discTypeName(CDS.DATA_1)).toBe("data CD, mode 1");
  expect(discTypeName(CDS.NO_DISC)).toBe("no disc");
});
