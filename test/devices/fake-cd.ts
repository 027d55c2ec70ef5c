// Test helpers: raw CD frames built by hand after ECMA-130 (sync, BCD header, mode),
// with user bytes that encode their own LBA and position so any misplaced byte shows.
import { toBcd, MSF_OFFSET } from "../../src/devices/msf.ts";

export function userByte(lba: number, i: number): number {
  return (lba * 7 + i * 13) & 0xff;
}

/** A raw frame for `lba`: user bytes at dataOffset; audio (dataOffset 0) has no header. */
export function makeFrame(lba: number, dataOffset: number, sectorSize: number, mode: number): Uint8Array {
  const f = new Uint8Array(2352);
  if (dataOffset > 0) {
    f.set([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);
    const a = lba + MSF_OFFSET;
    f[12] = toBcd(Math.floor(a / 4500));
    f[13] = toBcd(Math.floor(a / 75) % 60);
    f[14] = toBcd(a % 75);
    f[15] = mode;
  }
  for (let i = 0; i < sectorSize; i++) f[dataOffset + i] = userByte(lba, i);
  return f;
}
