// CI-sized fuzzing of the decoding path (the full 100 000-run campaign is
// `bun scripts/fuzz-ffs.ts`): mutated images decode or fail with one FfsError line.
import { expect, test } from "bun:test";
import { fuzz, loadImages } from "../../scripts/fuzz-ffs.ts";
import { fixtureDir } from "./fixtures.ts";
import { decodeCylinderGroup, decodeDirent, decodeInode, decodeSuperblock } from "../../src/native/ffs.ts";

test("3000 mutated images: no crash, no hang, one clear line per rejected image", () => {
  const r = fuzz(loadImages(fixtureDir), 3000, 20261122);
  expect(r.failures).toEqual([]);
  expect(r.accepted + r.rejected).toBe(3000);
  expect(r.rejected).toBeGreaterThan(0); // the mutations do reach the validation
  expect(r.slowest).toBeLessThan(2000);
});

test("the shim's decoders never read past the buffer they are given", () => {
  // Random buffers of every small length, decoded at every offset that could overflow.
  let x = 12345;
  const rand = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (let len = 0; len < 1400; len += 7) {
    const buf = new Uint8Array(len).map(rand);
    if (len < 1376) expect(decodeSuperblock(buf)).toBeNull();
    const cg = decodeCylinderGroup(buf, len, rand() & 1 ? true : false, rand() * 100);
    if (typeof cg !== "number") expect(cg.freeoff + Math.ceil(cg.ndblk / 8)).toBeLessThanOrEqual(len);
    for (const off of [-1, 0, len - 128, len - 127, len - 256, len - 8, len - 7, len]) {
      const i1 = decodeInode(buf, len, off, false, false);
      if (i1) expect(off + 128).toBeLessThanOrEqual(len);
      const i2 = decodeInode(buf, len, off, true, true);
      if (i2) expect(off + 256).toBeLessThanOrEqual(len);
      const d = decodeDirent(buf, len, off, false, rand() & 1 ? true : false);
      if (d) expect(d.nameOffset + d.namlen + 1).toBeLessThanOrEqual(len);
    }
  }
});

test("old 4.2/4.3BSD cylinder groups: magic at 980, free map at 984", () => {
  const buf = new Uint8Array(2048);
  const v = new DataView(buf.buffer);
  v.setUint32(980, 0x090255, false);
  v.setUint32(12, 5, false); // cg_cgx
  v.setUint32(20, 1000, false); // cg_ndblk
  v.setUint32(8, 600000000, false); // cg_time
  const cg = decodeCylinderGroup(buf, buf.length, true, 2048);
  expect(typeof cg).not.toBe("number");
  if (typeof cg === "number") return;
  expect([cg.oldFormat, cg.cgx, cg.ndblk, cg.freeoff, cg.iusedoff, cg.time]).toEqual([1, 5, 1000, 984, 724, 600000000]);
  // The same bytes read in the other byte order have no magic.
  expect(decodeCylinderGroup(buf, buf.length, false, 2048)).toBe(-74);
});
