// The GUID partition table (UEFI spec, chapter 5): a header in LBA 1 whose CRC32 covers itself
// and names an entry array with its own CRC32, and a backup header in the disk's last LBA with
// its own copy of the array. A header or array whose CRC fails is not believed; the backup is
// tried then, as firmware and Linux do. LBAs are logical sectors: 512 bytes, or 4096 on 4Kn disks.
import type { ReadBytes } from "../fsmap/types.ts";
import { bytesOf, hasAscii, u32, u64 } from "./bytes.ts";
import { gptTypeName } from "./type-names.ts";
import type { Partition, TableReading } from "./types.ts";
import { escapeText } from "../util/escape.ts";

export const GPT_SECTOR_SIZES = [512, 4096] as const;
/** 16 KiB (128 × 128) is what every tool writes; beyond 8 MiB of entries a header is not believed. */
export const MAX_ARRAY_BYTES = 8 << 20;
const MAX_ENTRY_SIZE = 4096;

export interface GptHeader {
  lba: number;
  alternate: number;
  firstUsable: number;
  lastUsable: number;
  entriesLba: number;
  count: number;
  entrySize: number;
  arrayCrc: number;
}

const crc32 = (bytes: Uint8Array): number => Bun.hash.crc32(bytes) >>> 0;

/** The header at `lba`, or why it is not believed. */
export function readHeader(read: ReadBytes, size: number, sectorSize: number, lba: number): GptHeader | string {
  const at = bytesOf(lba, sectorSize);
  if (at === null || at + sectorSize > size) return `LBA ${lba} is past the end of the disk`;
  const b = read(at, sectorSize);
  if (!b) return `LBA ${lba} is unreadable`;
  if (!hasAscii(b, 0, "EFI PART")) return `no "EFI PART" signature at LBA ${lba}`;
  const headerSize = u32(b, 12);
  if (headerSize < 92 || headerSize > sectorSize) return `header size ${headerSize} at LBA ${lba}`;
  const copy = b.slice(0, headerSize);
  copy.fill(0, 16, 20);
  if (crc32(copy) !== u32(b, 16)) return `header CRC mismatch at LBA ${lba}`;
  const h: GptHeader = {
    lba: u64(b, 24), alternate: u64(b, 32), firstUsable: u64(b, 40), lastUsable: u64(b, 48),
    entriesLba: u64(b, 72), count: u32(b, 80), entrySize: u32(b, 84), arrayCrc: u32(b, 88),
  };
  if (h.lba !== lba) return `header at LBA ${lba} says it belongs at LBA ${h.lba}`;
  if (h.entrySize < 128 || h.entrySize > MAX_ENTRY_SIZE || h.entrySize % 8 !== 0) return `entry size ${h.entrySize} at LBA ${lba}`;
  if (h.count * h.entrySize > MAX_ARRAY_BYTES) return `${h.count} entries of ${h.entrySize} bytes at LBA ${lba}: more than ${MAX_ARRAY_BYTES} bytes`;
  if (!Number.isSafeInteger(h.firstUsable) || !Number.isSafeInteger(h.lastUsable) || h.firstUsable > h.lastUsable) return `usable range ${h.firstUsable}..${h.lastUsable} at LBA ${lba}`;
  return h;
}

/** The entry array a header names, checked against its CRC, or why it is not believed. */
function readArray(read: ReadBytes, size: number, sectorSize: number, h: GptHeader): Uint8Array | string {
  const bytes = h.count * h.entrySize;
  const at = bytesOf(h.entriesLba, sectorSize);
  if (at === null || at + bytes > size) return `entry array at LBA ${h.entriesLba} is past the end of the disk`;
  const array = bytes === 0 ? new Uint8Array(0) : read(at, bytes);
  if (!array) return `entry array at LBA ${h.entriesLba} is unreadable`;
  if (crc32(array) !== h.arrayCrc) return `entry array CRC mismatch (header at LBA ${h.lba})`;
  return array;
}

/** A GUID as text: the first three fields are stored little-endian. */
export function guidText(b: Uint8Array, at: number): string {
  const hex = (i: number) => b[at + i]!.toString(16).padStart(2, "0");
  const part = (idx: number[]) => idx.map(hex).join("");
  return `${part([3, 2, 1, 0])}-${part([5, 4])}-${part([7, 6])}-${part([8, 9])}-${part([10, 11, 12, 13, 14, 15])}`.toUpperCase();
}

/** The UTF-16LE name, up to its NUL, with control characters escaped (util/escape.ts) as every
 *  name from a disk is: it reaches terminals and --json output (where JSON leaves C1 controls raw). */
function entryName(b: Uint8Array, at: number, max: number): string {
  const units: number[] = [];
  for (let i = 0; i + 1 < max; i += 2) {
    const u = b[at + i]! | (b[at + i + 1]! << 8);
    if (u === 0) break;
    units.push(u);
  }
  return escapeText(String.fromCharCode(...units));
}

function decodeEntries(array: Uint8Array, h: GptHeader, sectorSize: number, size: number, notes: string[]): Partition[] {
  const out: Partition[] = [];
  for (let i = 0; i < h.count; i++) {
    const e = i * h.entrySize;
    if (array.subarray(e, e + 16).every((x) => x === 0)) continue; // unused entry
    const index = i + 1;
    const first = u64(array, e + 32);
    const last = u64(array, e + 40);
    const start = bytesOf(first, sectorSize);
    const end = bytesOf(last + 1, sectorSize);
    if (start === null || end === null || last < first) {
      notes.push(`gpt ${index}: impossible range LBA ${first}..${last}, ignored`);
      continue;
    }
    if (first < h.firstUsable || last > h.lastUsable) notes.push(`gpt ${index}: LBA ${first}..${last} is outside the usable range ${h.firstUsable}..${h.lastUsable}`);
    if (end > size) notes.push(`gpt ${index}: ends past the end of the disk`);
    const type = guidText(array, e);
    const name = entryName(array, e + 56, Math.min(72, h.entrySize - 56));
    out.push({ index, scheme: "gpt", type, typeName: gptTypeName(type), ...(name ? { name } : {}), start, length: end - start });
  }
  return out;
}

export interface GptReading extends TableReading {
  /** False when neither header (nor array) was valid for any sector size; `notes` say why. */
  valid: boolean;
  sectorSize: number;
}

const signed = (r: GptHeader | string) => typeof r !== "string" || !r.startsWith('no "EFI PART"');

/** The GPT of a disk whose MBR is protective: the primary, else the backup. */
export function readGpt(read: ReadBytes, size: number): GptReading {
  const notes: string[] = [];
  for (const ss of GPT_SECTOR_SIZES) {
    const primary = readHeader(read, size, ss, 1);
    const problems: string[] = [];
    if (typeof primary !== "string") {
      const array = readArray(read, size, ss, primary);
      if (typeof array !== "string") return { valid: true, sectorSize: ss, notes, partitions: decodeEntries(array, primary, ss, size, notes) };
      problems.push(array);
    } else problems.push(primary);
    // The backup: where a valid primary says it is, else the last LBA (where it belongs).
    const lastLba = Math.floor(size / ss) - 1;
    const backupLba = typeof primary !== "string" && primary.alternate > 1 && primary.alternate <= lastLba ? primary.alternate : lastLba;
    const backup = backupLba > 1 ? readHeader(read, size, ss, backupLba) : "the disk is too small for a backup header";
    if (typeof backup !== "string") {
      const array = readArray(read, size, ss, backup);
      if (typeof array !== "string") {
        notes.push(`primary GPT not used (${problems[0]}); read the backup at LBA ${backupLba}`);
        return { valid: true, sectorSize: ss, notes, partitions: decodeEntries(array, backup, ss, size, notes) };
      }
      problems.push(`backup: ${array}`);
    } else problems.push(`backup: ${backup}`);
    // A signature settles the sector size: report this size's problems, do not try the next.
    if (signed(primary) || signed(backup)) {
      notes.push(`no valid GPT (${ss}-byte sectors): ${problems.join("; ")}`);
      return { valid: false, sectorSize: ss, notes, partitions: [] };
    }
  }
  notes.push("protective MBR, but no GPT header at LBA 1 or at the last LBA (512 or 4096-byte sectors)");
  return { valid: false, sectorSize: 512, notes, partitions: [] };
}
