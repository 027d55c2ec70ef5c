// Every partition of a whole disk: the MBR (with its logical partitions), or the GPT it
// protects, and the BSD disklabels inside BSD slices or on a bare disk. Nothing here throws
// on a hostile table: what cannot be believed is left out, with a note saying why.
import type { ReadBytes } from "../fsmap/types.ts";
import { BSD_SLICE_TYPES, readMbr } from "./mbr.ts";
import { readGpt } from "./gpt.ts";
import { readBsdLabel } from "./bsd-disklabel.ts";
import type { ListPartitions, Partition, TableReading } from "./types.ts";

export interface DiskReading extends TableReading {
  /** The outer scheme found: "mbr", "gpt", "bsd" (a label on the whole disk), or null. */
  table: Partition["scheme"] | null;
  /** Logical sector size the table uses (GPT says it; 512 for the others). */
  sectorSize: number;
}

export function readPartitionTables(read: ReadBytes, size: number): DiskReading {
  const mbr = readMbr(read, size);
  if (mbr?.protective) {
    const gpt = readGpt(read, size);
    if (gpt.valid) return { table: "gpt", sectorSize: gpt.sectorSize, partitions: gpt.partitions, notes: gpt.notes };
    // No usable GPT: show the MBR as it is (the 0xEE entry and any hybrid entries).
    return { table: "mbr", sectorSize: 512, partitions: mbr.partitions, notes: [...gpt.notes, ...mbr.notes] };
  }
  if (mbr) {
    const out: DiskReading = { table: "mbr", sectorSize: 512, partitions: [...mbr.partitions], notes: [...mbr.notes] };
    for (const slice of mbr.partitions.filter((p) => BSD_SLICE_TYPES.has(Number(p.type)))) {
      const label = readBsdLabel(read, size, { start: slice.start, length: slice.length, mbrType: Number(slice.type), label: `mbr ${slice.index}` });
      out.partitions.push(...label.partitions);
      out.notes.push(...label.notes);
    }
    return out;
  }
  const bare = readBsdLabel(read, size, { start: 0, length: size, mbrType: null, label: "whole disk" });
  if (bare.partitions.length || bare.notes.length) return { table: "bsd", sectorSize: 512, ...bare };
  return { table: null, sectorSize: 512, partitions: [], notes: [] };
}

export const listPartitions: ListPartitions = (read, size) => readPartitionTables(read, size).partitions;

/**
 * What a user types after --partition: "2" for an MBR or GPT partition, "a" for a BSD partition
 * on a bare disk, "3a" for partition a of the BSD label in MBR slice 3 (as FreeBSD's ada0s3a).
 */
export function partitionId(p: Partition, all: readonly Partition[]): string {
  if (p.scheme !== "bsd") return String(p.index);
  const letter = p.name ?? String.fromCharCode(96 + p.index);
  const slice = all.find((s) => s.scheme === "mbr" && BSD_SLICE_TYPES.has(Number(s.type)) && p.start >= s.start && p.start + p.length <= s.start + s.length);
  return slice ? `${slice.index}${letter}` : letter;
}
