// One MFT record ("FILE"): the update-sequence fixups undone, then its attributes listed, and the
// unnamed $DATA attribute's content described (resident bytes, or a run list). Every offset in
// the record is checked against the record's own length before it is followed.
import { FsMapError } from "../types.ts";
import { le } from "../bytes.ts";
import { decodeRuns, type Run } from "./runs.ts";

const DATA = 0x80;
const END = 0xffffffff;
/** Fixups protect the last two bytes of every 512-byte stride, whatever the sector size. */
const STRIDE = 512;

export type DataAttribute =
  | { resident: true; bytes: Uint8Array }
  | { resident: false; runs: Run[]; size: number };

/** A copy of `raw` with the fixups applied; throws when the record is not a sane FILE record. */
export function applyFixups(raw: Uint8Array, what: string): Uint8Array {
  const fail = (why: string): never => {
    throw new FsMapError("ntfs", `${what}: ${why}`);
  };
  if (String.fromCharCode(...raw.subarray(0, 4)) !== "FILE") fail("no FILE signature");
  const usaOffset = le(raw, 4, 2);
  const usaCount = le(raw, 6, 2);
  if (usaCount !== raw.length / STRIDE + 1) fail(`update sequence of ${usaCount} entries for a ${raw.length}-byte record`);
  if (usaOffset < 0x28 || usaOffset % 2 !== 0 || usaOffset + usaCount * 2 > STRIDE - 2) fail(`update sequence at offset ${usaOffset}`);
  const rec = raw.slice();
  for (let i = 1; i < usaCount; i++) {
    const end = i * STRIDE - 2;
    if (rec[end] !== raw[usaOffset] || rec[end + 1] !== raw[usaOffset + 1]) fail(`sector ${i - 1} fails its fixup check (a torn write)`);
    rec[end] = raw[usaOffset + i * 2]!;
    rec[end + 1] = raw[usaOffset + i * 2 + 1]!;
  }
  return rec;
}

/**
 * The unnamed $DATA attribute of a fixed-up record, or null when there is none. Several
 * non-resident pieces (each a VCN range) are joined into one run list; `totalClusters` bounds
 * every run.
 */
export function dataAttribute(rec: Uint8Array, totalClusters: number, what: string): DataAttribute | null {
  const fail = (why: string): never => {
    throw new FsMapError("ntfs", `${what}: ${why}`);
  };
  const used = Math.min(le(rec, 0x18, 4), rec.length);
  let off = le(rec, 0x14, 2);
  const runs: Run[] = [];
  let size = -1;
  // Each attribute is at least 16 bytes long, so the walk ends within rec.length / 16 steps.
  while (off + 8 <= used) {
    const type = le(rec, off, 4);
    if (type === END) break;
    const length = le(rec, off + 4, 4);
    if (length < 16 || length % 8 !== 0 || off + length > used) fail(`attribute at offset ${off} has length ${length}`);
    const nameLength = rec[off + 9]!;
    if (type === DATA && nameLength === 0) {
      if (rec[off + 8] === 0) {
        const valueLength = le(rec, off + 0x10, 4);
        const valueOffset = le(rec, off + 0x14, 2);
        if (valueOffset + valueLength > length) fail("resident $DATA runs past its attribute");
        return { resident: true, bytes: rec.subarray(off + valueOffset, off + valueOffset + valueLength) };
      }
      if (length < 0x40) fail(`non-resident attribute of ${length} bytes`);
      const startVcn = le(rec, off + 0x10, 8);
      const runsOffset = le(rec, off + 0x20, 2);
      if (runsOffset < 0x40 || runsOffset >= length) fail(`run list at offset ${runsOffset} of a ${length}-byte attribute`);
      const nextVcn = runs.length ? runs.at(-1)!.vcn + runs.at(-1)!.length : 0;
      if (startVcn !== nextVcn) fail(`$DATA piece starts at VCN ${startVcn}, expected ${nextVcn}`);
      if (startVcn === 0) size = le(rec, off + 0x30, 8);
      runs.push(...decodeRuns(rec.subarray(off + runsOffset, off + length), startVcn, totalClusters, what));
    }
    off += length;
  }
  if (!runs.length) return null;
  if (size < 0) fail("$DATA has no first piece (VCN 0)");
  return { resident: false, runs, size };
}
