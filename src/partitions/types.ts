// Partition tables (MBR with extended partitions, GPT, BSD disklabel), decoded from bytes.
import type { ReadBytes } from "../fsmap/types.ts";

export interface Partition {
  /** 1-based as users and fdisk count them (MBR logical partitions from 5; BSD a=1, b=2...). */
  index: number;
  scheme: "mbr" | "gpt" | "bsd";
  /** The type as stored: "0x83", a GPT type GUID, a BSD fstype number. */
  type: string;
  /** Human name of the type: "Linux", "EFI System", "FreeBSD UFS"... */
  typeName: string;
  /** GPT partition name or BSD letter, when there is one. */
  name?: string;
  /** Absolute byte offset and length on the disk. */
  start: number;
  length: number;
}

/** Lists the partitions of a whole disk of `size` bytes (empty when there is no table). The list
 *  includes containers (extended partitions, slices holding a BSD label) and what is inside
 *  them: `leafPartitions` (list.ts) keeps those that may hold a filesystem. */
export type ListPartitions = (read: ReadBytes, size: number) => Partition[];

/** What a table reader found: the partitions, and one line for each thing it ignored or doubted
 *  (a bad checksum, a loop in the extended chain, a partition past the end of the disk). */
export interface TableReading {
  partitions: Partition[];
  notes: string[];
}
