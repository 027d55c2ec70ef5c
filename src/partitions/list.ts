// Every partition of a whole disk: the MBR (with its logical partitions), or the GPT it
// protects, and the BSD disklabels inside BSD slices (MBR 0xa5/0xa6/0xa9, GPT "FreeBSD
// disklabel") or on a bare disk. Nothing here throws
// on a hostile table: what cannot be believed is left out, with a note saying why.
import type { ReadBytes } from "../fsmap/types.ts";
import { BSD_SLICE_TYPES, isExtended, readMbr } from "./mbr.ts";
import { readGpt } from "./gpt.ts";
import { readBsdLabel } from "./bsd-disklabel.ts";
import type { ListPartitions, Partition, TableReading } from "./types.ts";

const FREEBSD_DISKLABEL = "516E7CB4-6ECF-11D6-8FF8-00022D09712B";

export interface DiskReading extends TableReading {
  /** The outer scheme found: "mbr", "gpt", "bsd" (a label on the whole disk), or null. */
  table: Partition["scheme"] | null;
  /** Logical sector size the table uses (GPT finds it; the caller's for the others). */
  sectorSize: number;
}

/**
 * `sectorSize`: the logical sector size when the source knows it (a 4Kn drive: 4096); MBR and
 * BSD sector numbers count in it. GPT finds its own (it tries 512 and 4096).
 */
export function readPartitionTables(read: ReadBytes, size: number, sectorSize = 512): DiskReading {
  const mbr = readMbr(read, size, sectorSize);
  if (mbr?.protective) {
    const gpt = readGpt(read, size);
    if (gpt.valid) return withLabels(read, size, { table: "gpt", sectorSize: gpt.sectorSize, partitions: gpt.partitions, notes: gpt.notes });
    // No usable GPT: show the MBR as it is (the 0xEE entry and any hybrid entries).
    return { table: "mbr", sectorSize, partitions: mbr.partitions, notes: [...gpt.notes, ...mbr.notes] };
  }
  if (mbr) return withLabels(read, size, { table: "mbr", sectorSize, partitions: mbr.partitions, notes: mbr.notes });
  const bare = readBsdLabel(read, size, { start: 0, length: size, freebsd: false, label: "whole disk", sectorSize });
  if (bare.partitions.length || bare.notes.length) return { table: "bsd", sectorSize, ...bare };
  return { table: null, sectorSize, partitions: [], notes: [] };
}

/** A partition that holds a BSD disklabel: a BSD MBR slice, or GPT's "FreeBSD disklabel". */
export const holdsBsdLabel = (p: Partition): boolean =>
  (p.scheme === "mbr" && BSD_SLICE_TYPES.has(Number(p.type))) || (p.scheme === "gpt" && p.type === FREEBSD_DISKLABEL);

/** `reading` with the partitions of the BSD labels inside its slices appended. */
function withLabels(read: ReadBytes, size: number, reading: DiskReading): DiskReading {
  const out: DiskReading = { ...reading, partitions: [...reading.partitions], notes: [...reading.notes] };
  for (const slice of reading.partitions.filter(holdsBsdLabel)) {
    const freebsd = slice.scheme === "gpt" || Number(slice.type) === 0xa5;
    const label = readBsdLabel(read, size, { start: slice.start, length: slice.length, freebsd, label: `${slice.scheme} ${slice.index}`, sectorSize: reading.sectorSize });
    out.partitions.push(...label.partitions);
    out.notes.push(...label.notes);
  }
  return out;
}

/**
 * Whether `p` holds other partitions rather than a filesystem: an extended partition, or a
 * slice whose BSD disklabel was read. Its bytes are covered by the partitions inside.
 */
export function isContainer(p: Partition, all: readonly Partition[]): boolean {
  if (isExtended(p)) return true;
  return holdsBsdLabel(p) && all.some((q) => q.scheme === "bsd" && q.start >= p.start && q.start + q.length <= p.start + p.length);
}

/** The partitions that may hold a filesystem: the list without its containers. */
export function leafPartitions(all: readonly Partition[]): Partition[] {
  return all.filter((p) => !isContainer(p, all));
}

export const listPartitions: ListPartitions = (read, size) => readPartitionTables(read, size).partitions;

/**
 * What a user types after --partition: "2" for an MBR or GPT partition, "a" for a BSD partition
 * on a bare disk, "3a" for partition a of the BSD label in MBR slice 3 (as FreeBSD's ada0s3a) or
 * in GPT partition 3.
 */
export function partitionId(p: Partition, all: readonly Partition[]): string {
  if (p.scheme !== "bsd") return String(p.index);
  const letter = p.name ?? String.fromCharCode(96 + p.index);
  const slice = all.find((s) => holdsBsdLabel(s) && p.start >= s.start && p.start + p.length <= s.start + s.length);
  return slice ? `${slice.index}${letter}` : letter;
}
