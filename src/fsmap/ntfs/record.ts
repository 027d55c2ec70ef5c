// One MFT record ("FILE"): the update-sequence fixups undone, then its attributes listed, and the
// unnamed $DATA attribute's content described (resident bytes, or a run list). Every offset in
// the record is checked against the record's own length before it is followed.
import { FsMapError } from "../types.ts";
import { le } from "../bytes.ts";
import { decodeRuns, type Run } from "./runs.ts";

const ATTRIBUTE_LIST = 0x20;
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

interface AttributeHeader {
  type: number;
  /** Offset of the attribute in the record, and its length. */
  off: number;
  length: number;
  named: boolean;
  resident: boolean;
}

/** The attribute headers of a fixed-up record, each checked to lie inside the record's used part. */
function* attributes(rec: Uint8Array, what: string): Generator<AttributeHeader> {
  const used = Math.min(le(rec, 0x18, 4), rec.length);
  let off = le(rec, 0x14, 2);
  // Each attribute is at least 16 bytes long, so the walk ends within rec.length / 16 steps.
  while (off + 8 <= used) {
    const type = le(rec, off, 4);
    if (type === END) return;
    const length = le(rec, off + 4, 4);
    if (length < 16 || length % 8 !== 0 || off + length > used) throw new FsMapError("ntfs", `${what}: attribute at offset ${off} has length ${length}`);
    yield { type, off, length, named: rec[off + 9] !== 0, resident: rec[off + 8] === 0 };
    off += length;
  }
}

/** A resident attribute's value, or a non-resident one's runs and data size. */
function content(rec: Uint8Array, a: AttributeHeader, totalClusters: number, what: string, expectedVcn: number): DataAttribute & { startVcn: number } {
  const fail = (why: string): never => {
    throw new FsMapError("ntfs", `${what}: ${why}`);
  };
  const { off, length } = a;
  if (a.resident) {
    const valueLength = le(rec, off + 0x10, 4);
    const valueOffset = le(rec, off + 0x14, 2);
    if (valueOffset + valueLength > length) fail("resident attribute runs past its end");
    return { resident: true, bytes: rec.subarray(off + valueOffset, off + valueOffset + valueLength), startVcn: 0 };
  }
  if (length < 0x40) fail(`non-resident attribute of ${length} bytes`);
  const startVcn = le(rec, off + 0x10, 8);
  const runsOffset = le(rec, off + 0x20, 2);
  if (runsOffset < 0x40 || runsOffset >= length) fail(`run list at offset ${runsOffset} of a ${length}-byte attribute`);
  if (startVcn !== expectedVcn) fail(`attribute piece starts at VCN ${startVcn}, expected ${expectedVcn}`);
  const runs = decodeRuns(rec.subarray(off + runsOffset, off + length), startVcn, totalClusters, what);
  return { resident: false, runs, size: startVcn === 0 ? le(rec, off + 0x30, 8) : -1, startVcn };
}

/**
 * The unnamed $DATA attribute of a fixed-up record, or null when there is none. Several
 * non-resident pieces (each a VCN range) are joined into one run list, which must start at
 * `firstVcn` (0, or where an extension record's piece continues the base record's);
 * `totalClusters` bounds every run.
 */
export function dataAttribute(rec: Uint8Array, totalClusters: number, what: string, firstVcn = 0): DataAttribute | null {
  const runs: Run[] = [];
  let size = -1;
  for (const a of attributes(rec, what)) {
    if (a.type !== DATA || a.named) continue;
    const next = runs.length ? runs.at(-1)!.vcn + runs.at(-1)!.length : firstVcn;
    const c = content(rec, a, totalClusters, what, next);
    if (c.resident) return c;
    if (c.startVcn === 0) size = c.size;
    runs.push(...c.runs);
  }
  if (!runs.length) return null;
  if (firstVcn === 0 && size < 0) throw new FsMapError("ntfs", `${what}: $DATA has no first piece (VCN 0)`);
  return { resident: false, runs, size };
}

/** The record's $ATTRIBUTE_LIST (its bytes, or its runs), or null when it has none. */
export function attributeList(rec: Uint8Array, totalClusters: number, what: string): DataAttribute | null {
  for (const a of attributes(rec, what)) if (a.type === ATTRIBUTE_LIST && !a.named) return content(rec, a, totalClusters, what, 0);
  return null;
}

export interface ListEntry {
  type: number;
  named: boolean;
  startVcn: number;
  /** The MFT record that holds this attribute (the low 48 bits of the file reference). */
  record: number;
}

/** The entries of an $ATTRIBUTE_LIST's bytes: 26 bytes at least each, lengths checked. */
export function listEntries(bytes: Uint8Array, what: string): ListEntry[] {
  const out: ListEntry[] = [];
  for (let o = 0; o + 26 <= bytes.length; ) {
    const length = le(bytes, o + 4, 2);
    if (length < 26 || o + length > bytes.length) throw new FsMapError("ntfs", `${what}: attribute list entry at ${o} has length ${length}`);
    out.push({ type: le(bytes, o, 4), named: bytes[o + 6] !== 0, startVcn: le(bytes, o + 8, 8), record: le(bytes, o + 16, 6) });
    o += length;
  }
  return out;
}
