// Raw reads for every CD layout, including those QEMU cannot emulate (audio, mode 2, XA):
// a fake drive hands out hand-built frames and records which LBAs were asked for.
import { describe, expect, test } from "bun:test";
import { cdLayout, CDS } from "../../src/devices/cd-layout.ts";
import { CdRawReader } from "../../src/devices/cd-raw-reader.ts";
import { makeFrame, userByte } from "./fake-cd.ts";

const EIO = 5;

function drive(status: number, bad: number[] = []) {
  const l = cdLayout(status);
  const asked: number[] = [];
  const reader = (lba: number, frame: Uint8Array) => {
    asked.push(lba);
    if (bad.includes(lba)) return -EIO;
    frame.set(makeFrame(lba, l.dataOffset, l.sectorSize, status === CDS.AUDIO ? 0 : status === CDS.DATA_1 ? 1 : 2));
    return 0;
  };
  return { l, asked, reader };
}

/** What the image holds at byte `pos`, from the frame builder's definition. */
function expected(sectorSize: number, pos: number): number {
  return userByte(Math.floor(pos / sectorSize), pos % sectorSize);
}

describe.each([CDS.AUDIO, CDS.DATA_1, CDS.DATA_2, CDS.XA_2_1, CDS.XA_2_2])("disc status %d", (status) => {
  test("a read across sector boundaries returns the user bytes of each sector in order", () => {
    const { l, asked, reader } = drive(status);
    const r = new CdRawReader(l, reader, 100 * l.sectorSize);
    const offset = 3 * l.sectorSize + 100; // starts inside sector 3
    const length = 2 * l.sectorSize + 50; // ends inside sector 5
    const buf = new Uint8Array(length);
    expect(r.read(buf, length, offset)).toBe(length);
    expect(asked).toEqual([3, 4, 5]);
    for (let i = 0; i < length; i++) if (buf[i] !== expected(l.sectorSize, offset + i)) throw new Error(`byte ${offset + i} wrong`);
  });

  test("a bad sector ends the read short; a bad first sector is an error", () => {
    const { l, reader } = drive(status, [7]);
    const r = new CdRawReader(l, reader, null);
    const buf = new Uint8Array(4 * l.sectorSize);
    expect(r.read(buf, 4 * l.sectorSize, 5 * l.sectorSize)).toBe(2 * l.sectorSize);
    expect(r.read(buf, l.sectorSize, 7 * l.sectorSize)).toBe(-EIO);
  });

  test("reads stop at the end of the disc", () => {
    const { l, reader } = drive(status);
    const r = new CdRawReader(l, reader, 10 * l.sectorSize);
    const buf = new Uint8Array(3 * l.sectorSize);
    expect(r.read(buf, 3 * l.sectorSize, 9 * l.sectorSize)).toBe(l.sectorSize);
    expect(r.read(buf, 10, 10 * l.sectorSize)).toBe(0);
  });
});

test("mixed discs have no raw layout", () => {
  expect(() => new CdRawReader(cdLayout(CDS.MIXED), () => 0, null)).toThrow(RangeError);
});
