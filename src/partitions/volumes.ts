// The volumes a filesystem may sit in, for the filesystem parsers (src/fsmap): every partition
// that is not a container, or the whole disk when there is no table.
import type { ReadBytes, Volume } from "../fsmap/types.ts";
import { leafPartitions, partitionId, readPartitionTables } from "./list.ts";
import type { Partition } from "./types.ts";

/** "mbr 5 (Linux)", "gpt 2 (FreeBSD UFS)", "bsd 1a (4.2BSD (UFS))": what messages call a partition. */
export function volumeLabel(p: Partition, all: readonly Partition[]): string {
  return `${p.scheme} ${partitionId(p, all)} (${p.typeName})`;
}

/** The volumes of a disk of `size` bytes, and the table readers' notes. */
export function volumesOf(read: ReadBytes, size: number, sectorSize = 512): { volumes: Volume[]; notes: string[] } {
  const r = readPartitionTables(read, size, sectorSize);
  const leaves = leafPartitions(r.partitions);
  if (!leaves.length) return { volumes: [{ start: 0, length: size, label: "whole disk" }], notes: r.notes };
  return { volumes: leaves.map((p) => ({ start: p.start, length: p.length, label: volumeLabel(p, r.partitions) })), notes: r.notes };
}
