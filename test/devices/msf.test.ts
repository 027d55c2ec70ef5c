// MSF addressing: expected values come from the Red Book convention (75 frames per
// second, LBA 0 = 00:02:00), worked out by hand, not from the code under test.
import { describe, expect, test } from "bun:test";
import { formatMsf, fromBcd, lbaToMsf, msfToLba, toBcd } from "../../src/devices/msf.ts";

describe("LBA <-> MSF", () => {
  const known: Array<[number, string]> = [
    [-150, "00:00:00"], // start of the pregap
    [0, "00:02:00"],
    [16, "00:02:16"], // ISO 9660 primary volume descriptor
    [74, "00:02:74"],
    [75, "00:03:00"],
    [4350, "01:00:00"], // 60 s × 75 − 150
    [449849, "99:59:74"], // last frame of a 100-minute disc
  ];
  for (const [lba, msf] of known) {
    test(`LBA ${lba} is ${msf}`, () => {
      expect(formatMsf(lbaToMsf(lba))).toBe(msf);
      const [minute, second, frame] = msf.split(":").map(Number) as [number, number, number];
      expect(msfToLba({ minute, second, frame })).toBe(lba);
    });
  }

  test("round trip over the first 80 minutes", () => {
    for (let lba = -150; lba < 360000; lba += 997) expect(msfToLba(lbaToMsf(lba))).toBe(lba);
  });

  test("addresses the ioctl cannot carry are refused", () => {
    expect(() => lbaToMsf(-151)).toThrow(RangeError);
    expect(() => lbaToMsf(256 * 4500)).toThrow(RangeError);
    expect(() => lbaToMsf(1.5)).toThrow(RangeError);
  });
});

describe("BCD", () => {
  test("header bytes", () => {
    expect(fromBcd(0x59)).toBe(59);
    expect(fromBcd(0x07)).toBe(7);
    expect(toBcd(74)).toBe(0x74);
    for (let n = 0; n < 100; n++) expect(fromBcd(toBcd(n))).toBe(n);
  });
});
