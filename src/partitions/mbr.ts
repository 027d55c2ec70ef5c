// The DOS/MBR partition table: four primary entries in sector 0, and for an extended partition
// (0x05, 0x0f, 0x85) a chain of extended boot records, each holding one logical partition
// (relative to that EBR) and a link to the next EBR (relative to the extended partition's start).
// LBAs count logical sectors: 512 bytes on images and 512e disks, 4096 on a 4Kn drive (the caller
// passes the device's size); the records themselves are the first 512 bytes of their sector.
import type { ReadBytes } from "../fsmap/types.ts";
import { hasAscii, u32 } from "./bytes.ts";
import { mbrTypeName } from "./type-names.ts";
import type { Partition, TableReading } from "./types.ts";

/** Bytes of a partition record (MBR or EBR), whatever the sector size. */
export const RECORD_BYTES = 512;
export const EXTENDED_TYPES: ReadonlySet<number> = new Set([0x05, 0x0f, 0x85]);
/** FreeBSD, OpenBSD, NetBSD slices: a BSD disklabel lives in their second sector. */
export const BSD_SLICE_TYPES: ReadonlySet<number> = new Set([0xa5, 0xa6, 0xa9]);
export const GPT_PROTECTIVE = 0xee;
/** A chain longer than this is taken for a loop a checker could not see (Linux stops far earlier in practice). */
export const MAX_LOGICAL = 256;

export interface MbrEntry {
  slot: number;
  boot: number;
  type: number;
  /** First sector and sector count, as stored (relative to the record's base). */
  first: number;
  sectors: number;
}

/** The four entries of a sector that ends in 55 AA, or null when it is not a partition record. */
export function decodeRecord(sector: Uint8Array): MbrEntry[] | null {
  if (sector.length < RECORD_BYTES || sector[510] !== 0x55 || sector[511] !== 0xaa) return null;
  const entries: MbrEntry[] = [];
  for (let slot = 0; slot < 4; slot++) {
    const e = 446 + slot * 16;
    entries.push({ slot: slot + 1, boot: sector[e]!, type: sector[e + 4]!, first: u32(sector, e + 8), sectors: u32(sector, e + 12) });
  }
  return entries;
}

/** A FAT, NTFS or exFAT boot sector also ends in 55 AA: a filesystem on the whole disk, not a table. */
function isVolumeBootRecord(sector: Uint8Array): boolean {
  if (hasAscii(sector, 3, "NTFS    ") || hasAscii(sector, 3, "EXFAT   ")) return true;
  const jump = sector[0] === 0xeb || sector[0] === 0xe9;
  return jump && (hasAscii(sector, 54, "FAT") || hasAscii(sector, 82, "FAT32"));
}

export const isExtended = (p: Partition): boolean => p.scheme === "mbr" && EXTENDED_TYPES.has(Number(p.type));

const hex = (t: number) => `0x${t.toString(16).padStart(2, "0")}`;

function partition(index: number, type: number, startSector: number, sectors: number, ss: number): Partition {
  return { index, scheme: "mbr", type: hex(type), typeName: mbrTypeName(type), start: startSector * ss, length: sectors * ss };
}

export interface MbrReading extends TableReading {
  /** A 0xEE entry: the disk has a GPT, this MBR only protects it. */
  protective: boolean;
}

/** The MBR of a disk, or null when sector 0 holds no partition table. */
export function readMbr(read: ReadBytes, size: number, ss = 512): MbrReading | null {
  const sector0 = read(0, RECORD_BYTES);
  if (!sector0) return null;
  const entries = decodeRecord(sector0);
  // Linux's msdos reader also insists on a boot flag of 0 or 0x80 in every slot: boot code
  // that happens to end in 55 AA rarely passes that.
  if (!entries || entries.some((e) => e.boot !== 0 && e.boot !== 0x80) || isVolumeBootRecord(sector0)) return null;
  const out: MbrReading = { partitions: [], notes: [], protective: entries.some((e) => e.type === GPT_PROTECTIVE) };
  const used = entries.filter((e) => e.type !== 0 && e.sectors !== 0);
  for (const e of used) {
    out.partitions.push(partition(e.slot, e.type, e.first, e.sectors, ss));
    if ((e.first + e.sectors) * ss > size) out.notes.push(`mbr ${e.slot}: ends past the end of the disk (sector ${e.first + e.sectors} of ${Math.floor(size / ss)})`);
  }
  let next = 5;
  for (const e of used.filter((x) => EXTENDED_TYPES.has(x.type))) next = readLogical(read, size, ss, e, next, out);
  return out;
}

/** Walks the EBR chain of extended partition `ext`, numbering logical partitions from `next`. */
function readLogical(read: ReadBytes, size: number, ss: number, ext: MbrEntry, next: number, out: TableReading): number {
  const seen = new Set<number>();
  let ebr = ext.first;
  for (let hops = 0; ; hops++) {
    if (hops >= MAX_LOGICAL) {
      out.notes.push(`mbr ${ext.slot}: more than ${MAX_LOGICAL} extended boot records, the rest ignored`);
      break;
    }
    if (seen.has(ebr)) {
      out.notes.push(`mbr ${ext.slot}: the extended chain loops back to sector ${ebr}, stopped there`);
      break;
    }
    seen.add(ebr);
    const sector = ebr * ss + RECORD_BYTES <= size ? read(ebr * ss, RECORD_BYTES) : null;
    const record = sector && decodeRecord(sector);
    if (!record) {
      out.notes.push(`mbr ${ext.slot}: no extended boot record at sector ${ebr}${sector ? "" : " (unreadable or past the end)"}, chain stopped`);
      break;
    }
    const [data, link] = record as [MbrEntry, MbrEntry];
    if (data.type !== 0 && data.sectors !== 0 && !EXTENDED_TYPES.has(data.type)) {
      const start = ebr + data.first;
      out.partitions.push(partition(next, data.type, start, data.sectors, ss));
      if (start + data.sectors > ext.first + ext.sectors) out.notes.push(`mbr ${next}: extends past its extended partition`);
      if ((start + data.sectors) * ss > size) out.notes.push(`mbr ${next}: ends past the end of the disk`);
      next++;
    }
    if (link.type === 0 || link.sectors === 0 || !EXTENDED_TYPES.has(link.type)) break;
    ebr = ext.first + link.first;
    if (link.first === 0 || link.first >= ext.sectors) {
      out.notes.push(`mbr ${ext.slot}: an extended boot record links outside its extended partition (sector ${ebr}), chain stopped`);
      break;
    }
  }
  return next;
}
