// Hand-built partition tables for the hostile-input tests and the fuzzer: what a damaged or
// crafted disk could hold, written byte by byte from the formats' documentation (UEFI spec
// chapter 5, <sys/disklabel.h>), never by salvage's own readers.

export const le32 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0, true);
export const le16 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint16(at, v, true);
export const le64 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setBigUint64(at, BigInt(v), true);

export interface Entry {
  boot?: number;
  type: number;
  first: number;
  sectors: number;
}

/** A partition record (MBR or EBR) at `at` in `disk`: four entries and 55 AA. */
export function putRecord(disk: Uint8Array, at: number, entries: Entry[]): void {
  for (const [i, e] of entries.entries()) {
    const o = at + 446 + i * 16;
    disk[o] = e.boot ?? 0;
    disk[o + 4] = e.type;
    le32(disk, o + 8, e.first);
    le32(disk, o + 12, e.sectors);
  }
  disk[at + 510] = 0x55;
  disk[at + 511] = 0xaa;
}

/** A GUID's on-disk bytes (first three fields little-endian) from its text. */
export function guidBytes(text: string): Uint8Array {
  const h = text.replace(/-/g, "");
  const b = Uint8Array.from({ length: 16 }, (_, i) => parseInt(h.slice(i * 2, i * 2 + 2), 16));
  const swap = (a: number, n: number) => b.subarray(a, a + n).reverse();
  swap(0, 4);
  swap(4, 2);
  swap(6, 2);
  return b;
}

export interface GptEntry {
  type: string;
  first: number;
  last: number;
  name?: string;
}

/** Recomputes both CRCs of the header at `headerAt` (after a test changed something). */
export function fixGptCrcs(disk: Uint8Array, headerAt: number, sectorSize: number): void {
  const h = disk.subarray(headerAt, headerAt + 92);
  const view = new DataView(h.buffer, h.byteOffset);
  const entriesAt = Number(view.getBigUint64(72, true)) * sectorSize;
  const bytes = view.getUint32(80, true) * view.getUint32(84, true);
  if (entriesAt + bytes <= disk.length) le32(h, 88, Bun.hash.crc32(disk.subarray(entriesAt, entriesAt + bytes)));
  le32(h, 16, 0);
  le32(h, 16, Bun.hash.crc32(h));
}

/** A header at `lba` naming an array at `entriesLba`; the array is written too. */
export function putGptHeader(disk: Uint8Array, ss: number, lba: number, alternate: number, entriesLba: number, entries: GptEntry[], count = 128, entrySize = 128): void {
  const at = lba * ss;
  const h = disk.subarray(at, at + 92);
  h.set(new TextEncoder().encode("EFI PART"), 0);
  le32(h, 8, 0x00010000);
  le32(h, 12, 92);
  le64(h, 24, lba);
  le64(h, 32, alternate);
  le64(h, 40, 34);
  le64(h, 48, disk.length / ss - 34);
  le64(h, 72, entriesLba);
  le32(h, 80, count);
  le32(h, 84, entrySize);
  const base = entriesLba * ss;
  for (const [i, e] of entries.entries()) {
    const o = base + i * entrySize;
    if (o + entrySize > disk.length) break;
    disk.set(guidBytes(e.type), o);
    disk[o + 16] = i + 1; // unique partition GUID, any non-zero value
    le64(disk, o + 32, e.first);
    le64(disk, o + 40, e.last);
    for (const [k, ch] of [...(e.name ?? "")].entries()) le16(disk, o + 56 + k * 2, ch.charCodeAt(0));
  }
  fixGptCrcs(disk, at, ss);
}

/** A disk of `sectors` × `ss` with a protective MBR, a primary GPT and its backup. */
export function gptDisk(sectors: number, ss: number, entries: GptEntry[]): Uint8Array {
  const disk = new Uint8Array(sectors * ss);
  putRecord(disk, 0, [{ type: 0xee, first: 1, sectors: Math.min(sectors - 1, 0xffffffff) }]);
  putGptHeader(disk, ss, 1, sectors - 1, 2, entries);
  putGptHeader(disk, ss, sectors - 1, 1, sectors - 33, entries);
  return disk;
}

export const BSD_MAGIC = 0x82564557;

export interface BsdEntry {
  size: number;
  offset: number;
  fstype: number;
  /** OpenBSD v1: high 16 bits of offset and size. */
  offsetHigh?: number;
  sizeHigh?: number;
}

/** A disklabel at byte `at` (a slice's second sector), with its XOR checksum. */
export function putBsdLabel(disk: Uint8Array, at: number, entries: BsdEntry[], opts: { secsize?: number; version?: number; npartitions?: number } = {}): void {
  const l = disk.subarray(at, at + 512);
  l.fill(0);
  le32(l, 0, BSD_MAGIC);
  le32(l, 40, opts.secsize ?? 512);
  le16(l, 114, opts.version ?? 0);
  le32(l, 132, BSD_MAGIC);
  const n = opts.npartitions ?? entries.length;
  le16(l, 138, n);
  le32(l, 140, 8192);
  for (const [i, e] of entries.entries()) {
    const o = 148 + i * 16;
    le32(l, o, e.size);
    le32(l, o + 4, e.offset);
    if (opts.version === 1) {
      le16(l, o + 8, e.offsetHigh ?? 0);
      le16(l, o + 10, e.sizeHigh ?? 0);
    }
    l[o + 12] = e.fstype;
  }
  let sum = 0;
  for (let i = 0; i < Math.min(148 + n * 16, 512); i += 2) sum ^= l[i]! | (l[i + 1]! << 8);
  le16(l, 136, sum);
}

/** A ReadBytes over `disk` that counts what was asked. */
export function reader(disk: Uint8Array) {
  const stats = { calls: 0, bytes: 0 };
  const read = (offset: number, length: number) => {
    stats.calls++;
    stats.bytes += Math.max(0, length);
    return offset >= 0 && length >= 0 && offset + length <= disk.length ? disk.subarray(offset, offset + length) : null;
  };
  return { read, stats };
}
