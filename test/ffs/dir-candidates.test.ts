// The prefilter of the free-directory scan (csrc/ffs.c): a fragment is a candidate when one
// of its 512-byte chunks starts like a directory entry (d_reclen 8..512, a multiple of 4;
// d_ino at most the filesystem's last inode), in either byte order.
import { expect, test } from "bun:test";
import { directoryCandidates } from "../../src/native/ffs.ts";

function entry(buf: Uint8Array, at: number, ino: number, reclen: number, big: boolean): void {
  const v = new DataView(buf.buffer, buf.byteOffset + at);
  v.setUint32(0, ino, !big);
  v.setUint16(4, reclen, !big);
}

for (const big of [false, true]) {
  test(`${big ? "big" : "little"}-endian: plausible entry headers at 512-byte chunk starts`, () => {
    const fsize = 1024;
    const buf = new Uint8Array(6 * fsize).fill(0x41); // text: reclen 0x4141 is too large
    entry(buf, 0 * fsize, 2, 12, big); // 0: a candidate in its first chunk
    entry(buf, 1 * fsize + 512, 100, 512, big); // 1: in its second chunk
    entry(buf, 2 * fsize, 1001, 12, big); // 2: inode past the last one
    entry(buf, 3 * fsize, 5, 10, big); // 3: reclen not a multiple of 4
    entry(buf, 4 * fsize + 100, 5, 12, big); // 4: not at a chunk start
    entry(buf, 5 * fsize, 1000, 4, big); // 5: reclen below 8
    const flags = new Uint8Array(6).fill(9);
    expect(directoryCandidates(buf, buf.length, fsize, big, 1000, flags)).toBe(6);
    expect(Array.from(flags)).toEqual([1, 1, 0, 0, 0, 0]);
  });
}

test("short flags are refused", () => {
  expect(() => directoryCandidates(new Uint8Array(2048), 2048, 512, false, 10, new Uint8Array(3))).toThrow(RangeError);
});
