// The BSD disklabel (<sys/disklabel.h>): in the second sector of a FreeBSD (0xa5), OpenBSD (0xa6)
// or NetBSD (0xa9) MBR slice, of a GPT "FreeBSD disklabel" partition, or of a whole disk with no
// MBR ("dangerously dedicated"). Magic
// 0x82564557 at offset 0 and again at 132, a 16-bit XOR checksum over the label and its
// entries, then 16-byte partition entries from offset 148, lettered a, b, c...
//
// Where the offsets count from differs:
//  - NetBSD and OpenBSD store sectors from the start of the disk;
//  - FreeBSD's GEOM takes them relative to the raw partition c's offset: c starting at the slice
//    (the classic absolute label) or at 0 (a label written relative to its slice) both work.
// OpenBSD's version-1 labels keep 48-bit offsets and sizes: the high 16 bits sit where the
// others keep p_fsize (d_version at 114 says so).
// As Linux does, entries of type "unused", the entry that is the whole slice, and entries that
// do not fit in the slice are left out: they are the raw c/d partitions, or damage.
import type { ReadBytes } from "../fsmap/types.ts";
import { bytesOf, u16, u32 } from "./bytes.ts";
import { bsdTypeName } from "./type-names.ts";
import type { Partition, TableReading } from "./types.ts";

export const BSD_MAGIC = 0x82564557;
/** 22 entries fill a 512-byte sector after the 148-byte header (MAXMAXPARTITIONS). */
export const MAX_BSD_PARTITIONS = 22;
const RAW_PART = 2; // c
const FS_UNUSED = 0;

export interface Slice {
  /** Byte offset and length of the slice (the whole disk for a dedicated label). */
  start: number;
  length: number;
  /** FreeBSD's rule for the offsets (relative to partition c): a FreeBSD slice (MBR 0xa5) or a
   *  GPT "FreeBSD disklabel" partition. Otherwise offsets count from the start of the disk. */
  freebsd: boolean;
  /** "mbr 3", "whole disk": for notes. */
  label: string;
  /** The disk's logical sector size: the label is in the slice's second sector. */
  sectorSize: number;
}

const letter = (i: number) => String.fromCharCode(97 + i);

/** Whether the slice's second sector holds a disklabel (magic only: for cheap probes). */
export function hasBsdLabel(read: ReadBytes, slice: Slice): boolean {
  const b = slice.length >= 2 * slice.sectorSize ? read(slice.start + slice.sectorSize, 512) : null;
  return !!b && u32(b, 0) === BSD_MAGIC && u32(b, 132) === BSD_MAGIC;
}

/** The partitions of the label in `slice`; nothing (and no note) when there is no label. */
export function readBsdLabel(read: ReadBytes, diskSize: number, slice: Slice): TableReading {
  const out: TableReading = { partitions: [], notes: [] };
  if (!hasBsdLabel(read, slice)) return out;
  const b = read(slice.start + slice.sectorSize, 512)!;
  const count = u16(b, 138);
  if (count > MAX_BSD_PARTITIONS) {
    out.notes.push(`${slice.label}: BSD disklabel claims ${count} partitions (at most ${MAX_BSD_PARTITIONS}), ignored`);
    return out;
  }
  let sum = 0;
  for (let at = 0; at < 148 + count * 16; at += 2) sum ^= u16(b, at);
  if (sum !== 0) {
    out.notes.push(`${slice.label}: BSD disklabel checksum mismatch, ignored`);
    return out;
  }
  const secsize = u32(b, 40);
  if (![512, 1024, 2048, 4096].includes(secsize)) {
    out.notes.push(`${slice.label}: BSD disklabel sector size ${secsize}, ignored`);
    return out;
  }
  const openbsd48 = u16(b, 114) === 1;
  const entry = (i: number) => {
    const e = 148 + i * 16;
    const high = (at: number) => (openbsd48 ? u16(b, e + at) * 0x100000000 : 0);
    return { size: u32(b, e) + high(10), offset: u32(b, e + 4) + high(8), fstype: b[e + 12]! };
  };
  // FreeBSD: offsets relative to partition c's. NetBSD and OpenBSD (and a bare disk): absolute.
  const sliceSector = slice.start / secsize;
  const freebsd = slice.freebsd && count > RAW_PART;
  const base = freebsd ? sliceSector - entry(RAW_PART).offset : 0;
  for (let i = 0; i < count; i++) {
    const p = entry(i);
    if (p.size === 0 || p.fstype === FS_UNUSED) continue;
    const start = bytesOf(base + p.offset, secsize);
    const length = bytesOf(p.size, secsize);
    if (start === null || length === null) {
      out.notes.push(`${slice.label}: BSD partition ${letter(i)} at sector ${p.offset} lies before the slice, ignored`);
      continue;
    }
    if (start === slice.start && length === slice.length) continue; // the slice itself
    if (start < slice.start || start + length > slice.start + slice.length) {
      out.notes.push(`${slice.label}: BSD partition ${letter(i)} (sectors ${p.offset}+${p.size}) does not fit in its slice, ignored`);
      continue;
    }
    if (start + length > diskSize) out.notes.push(`bsd ${letter(i)}: ends past the end of the disk`);
    out.partitions.push({ index: i + 1, scheme: "bsd", type: String(p.fstype), typeName: bsdTypeName(p.fstype), name: letter(i), start, length });
  }
  return out;
}
