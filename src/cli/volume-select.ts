// From "a whole disk, maybe partitioned" to the volume a filesystem command works on:
// --offset BYTES as given, --partition ID as `salvage info` lists it, or (neither given) the one
// partition holding a UFS. Also names the filesystem in each partition, for `info`.
import { FfsError } from "../ffs/errors.ts";
import { findSuperblock } from "../ffs/superblock.ts";
import { filesystemParsers } from "../fsmap/registry.ts";
import type { ReadBytes, Volume } from "../fsmap/types.ts";
import type { Source } from "../io/source.ts";
import { readBytesOf } from "../io/source-read-bytes.ts";
import { filesystemByMagic } from "../partitions/fs-magic.ts";
import { isContainer, partitionId, readPartitionTables, type DiskReading } from "../partitions/list.ts";
import { isExtended } from "../partitions/mbr.ts";
import type { Partition } from "../partitions/types.ts";
import { volumeLabel } from "../partitions/volumes.ts";
import { escapeText } from "../util/escape.ts";
import { humanBytes } from "../util/units.ts";
import { UserError } from "./exit.ts";

export interface DiskVolume {
  /** What --partition takes: "1", "5", "3a". */
  id: string;
  partition: Partition;
  /** "mbr 5 (Linux)", "bsd 1a (4.2BSD (UFS))": for messages, escaped. */
  label: string;
  /** "ufs1", "ext4", "fat32"..., null when nothing is recognised (or an extended partition). */
  filesystem: string | null;
}

/** "UFS1"/"UFS2"/"UFS2EA" when a valid superblock is where FFS puts one, counted from `start`. */
export function ufsAt(source: Source, start: number): string | null {
  try {
    return findSuperblock(source, start).variant;
  } catch (e) {
    if (e instanceof FfsError) return null;
    throw e;
  }
}

/** The filesystem at the start of `volume`: UFS by its superblock, then by magic, then the parsers' detect(). */
export function filesystemAt(source: Source, read: ReadBytes, volume: Volume): string | null {
  const ufs = ufsAt(source, volume.start);
  if (ufs) return ufs.toLowerCase();
  return filesystemByMagic(read, volume.start) ?? filesystemParsers.find((p) => p.detect(read, volume))?.name ?? null;
}

export function diskVolumes(source: Source): { reading: DiskReading; volumes: DiskVolume[] } {
  const read = readBytesOf(source);
  // A size the source cannot tell (a character device): tables are read, the ends unchecked.
  // MBR sectors are 4 KiB on a 4Kn drive; an optical drive's 2048 is left out (isohybrid
  // tables on CDs count 512-byte sectors).
  const reading = readPartitionTables(read, source.size ?? Number.MAX_SAFE_INTEGER, source.sectorSize === 4096 ? 4096 : 512);
  const volumes = reading.partitions.map((p) => {
    const id = partitionId(p, reading.partitions);
    const label = volumeLabel(p, reading.partitions);
    // An extended partition, or a slice whose BSD label was read, holds partitions, not a filesystem.
    const filesystem = isContainer(p, reading.partitions) ? (isExtended(p) ? null : "bsd disklabel") : filesystemAt(source, read, { start: p.start, length: p.length, label });
    return { id, partition: p, label, filesystem };
  });
  return { reading, volumes };
}

/** Partitions named in one error line; a crafted table can have hundreds. */
const LISTED = 20;

/** One line: "1 Linux at 1048576 ext4, 5 NetBSD at 4718592 ufs1" (at most 20, then how many more). */
export function volumeList(volumes: DiskVolume[]): string {
  const shown = volumes.slice(0, LISTED).map((v) => `${v.id} ${escapeText(v.partition.typeName)} at ${v.partition.start}${v.filesystem ? ` ${v.filesystem}` : ""}`);
  return shown.join(", ") + (volumes.length > LISTED ? ` and ${volumes.length - LISTED} more (salvage info lists them)` : "");
}

/** Of partitions sharing some bytes, the most precise: a BSD partition over its slice, else the smallest. */
export function innermost(vs: DiskVolume[]): DiskVolume {
  return vs.find((v) => v.partition.scheme === "bsd") ?? vs.reduce((a, b) => (b.partition.length < a.partition.length ? b : a));
}

export interface SelectedVolume {
  base: number;
  /** The partition's length when one was chosen (a scan stops there). */
  length?: number;
  /** Set when chosen by --partition or automatically. */
  volume?: DiskVolume;
  /** True when neither --offset nor --partition was given and a partition was picked. */
  automatic: boolean;
}

/**
 * The byte offset of the filesystem to use in `source`. `parseOffset` turns --offset's text into
 * bytes (the caller's unit rules). Throws one-line UserErrors naming the partitions.
 */
export function selectVolume(source: Source, path: string, args: { offset?: unknown; partition?: unknown }, parseOffset: (text: string) => number): SelectedVolume {
  if (args.offset !== undefined && args.partition !== undefined) throw new UserError("--offset and --partition: give one of them");
  if (args.offset !== undefined) return { base: parseOffset(String(args.offset)), automatic: false };
  const { volumes } = diskVolumes(source);
  const where = escapeText(path);
  if (args.partition !== undefined) {
    const want = String(args.partition).toLowerCase();
    const v = volumes.find((x) => x.id === want);
    if (!v) throw new UserError(volumes.length ? `${where}: no partition '${escapeText(want)}'; it has ${volumeList(volumes)}` : `${where}: --partition ${escapeText(want)}: no partition table found`);
    return { base: v.partition.start, length: v.partition.length, volume: v, automatic: false };
  }
  if (volumes.length === 0) return { base: 0, automatic: false };
  const ufs = volumes.filter((v) => v.filesystem?.startsWith("ufs"));
  if (new Set(ufs.map((v) => v.partition.start)).size === 1) {
    const v = innermost(ufs);
    return { base: v.partition.start, length: v.partition.length, volume: v, automatic: true };
  }
  if (ufsAt(source, 0)) return { base: 0, automatic: false };
  if (ufs.length === 0) throw new UserError(`${where}: no UFS filesystem in its partitions (${volumeList(volumes)}); choose one with --partition ID or --offset BYTES`);
  throw new UserError(`${where}: ${ufs.length} partitions hold a UFS filesystem (${volumeList(ufs)}); choose one with --partition ID`);
}

/** "using bsd 1a (4.2BSD (UFS)) at byte 1048576 (1.0 MiB): --partition 1a, --offset 1048576". */
export function selectionNote(s: SelectedVolume): string {
  const v = s.volume!;
  return `using ${v.label} at byte ${s.base} (${humanBytes(s.base)}): same as --partition ${v.id} or --offset ${s.base}`;
}
