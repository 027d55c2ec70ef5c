// From a whole disk to the bytes its filesystems use: the partition table (or the whole
// disk as one volume), then on each volume the first parser whose detect() accepts it.
// Nothing a disk says can stop this: a parser's error (hostile counts, loops, unreadable
// metadata) becomes one note, and that volume counts as wholly used ("unknown"), so a
// rescue guided by the result never skips data it could not classify.
import { listPartitions } from "../partitions/list.ts";
import { filesystemParsers } from "./registry.ts";
import { unionRanges } from "./ranges.ts";
import { recordingReader } from "./readers.ts";
import type { ByteRange, FilesystemParser, ReadBytes, UsedSpace, Volume } from "./types.ts";

/**
 * Thrown by a reader to suspend a parse: the bytes asked for are not known yet (a rescue
 * reads them first, then parses again). Passed through, never turned into a note.
 */
export class ParseSuspended extends Error {
  override name = "ParseSuspended";
}

export interface DiskUsage {
  size: number;
  /** What the partition-table decoder read (MBR, GPT header and entries, their backups). */
  tables: ByteRange[];
  volumes: Volume[];
  filesystems: UsedSpace[];
  /** Volumes no parser could map: all their bytes count as used. */
  unmapped: Volume[];
  /** One line each: why a volume was not mapped. */
  notes: string[];
  /** True when no filesystem at all was mapped: the result is "the whole disk". */
  wholeDisk: boolean;
}

function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (text.split("\n")[0] ?? "").slice(0, 300);
}

export function findUsedSpace(read: ReadBytes, size: number, parsers: readonly FilesystemParser[] = filesystemParsers): DiskUsage {
  const notes: string[] = [];
  const seen: [number, number][] = [];
  let volumes: Volume[] = [];
  try {
    volumes = listPartitions(recordingReader(read, seen), size)
      .filter((p) => p.length > 0 && p.start >= 0 && p.start + p.length <= size)
      .map((p) => ({ start: p.start, length: p.length, label: `${p.scheme} ${p.index}${p.typeName ? ` (${p.typeName})` : ""}` }));
  } catch (e) {
    if (e instanceof ParseSuspended) throw e;
    notes.push(`partition table: ${oneLine(e)}`);
  }
  if (volumes.length === 0) volumes = [{ start: 0, length: size, label: "whole disk" }];
  const filesystems: UsedSpace[] = [];
  const unmapped: Volume[] = [];
  for (const v of volumes) {
    let found = false;
    for (const p of parsers) {
      let accepts = false;
      try {
        accepts = p.detect(read, v);
      } catch (e) {
        if (e instanceof ParseSuspended) throw e;
        continue;
      }
      if (!accepts) continue;
      found = true;
      try {
        filesystems.push(p.usedSpace(read, v));
      } catch (e) {
        if (e instanceof ParseSuspended) throw e;
        notes.push(`${v.label}: ${p.name}: ${oneLine(e)}`);
        unmapped.push(v);
      }
      break;
    }
    if (!found) {
      notes.push(`${v.label}: no known filesystem`);
      unmapped.push(v);
    }
  }
  const tables = unionRanges(seen.map(([a, b]) => ({ start: Math.max(0, a), length: Math.min(size, b) - Math.max(0, a) })));
  return { size, tables, volumes, filesystems, unmapped, notes, wholeDisk: filesystems.length === 0 };
}

/** What to rescue first: the partition tables and every filesystem's metadata. */
export function metadataRanges(u: DiskUsage): ByteRange[] {
  return unionRanges(u.tables, ...u.filesystems.map((f) => f.metadata));
}

/** What `rescue --used-first` reads before any file: the partition tables and the part of
 *  every filesystem's metadata it marks as first (all of it, when it marks none). */
export function firstRanges(u: DiskUsage): ByteRange[] {
  return unionRanges(u.tables, ...u.filesystems.map((f) => f.first ?? f.metadata));
}

/** Everything used: metadata, allocated data, and whatever could not be classified. */
export function usedRanges(u: DiskUsage): ByteRange[] {
  if (u.wholeDisk) return u.size > 0 ? [{ start: 0, length: u.size }] : [];
  return unionRanges(metadataRanges(u), ...u.filesystems.flatMap((f) => [f.used, f.unknown]), u.unmapped);
}

/** Ranges widened to whole sectors (a rescue reads sectors), clipped to the disk. */
export function toSectors(ranges: readonly ByteRange[], sector: number, size: number): ByteRange[] {
  return unionRanges(
    ranges.map((r) => {
      const a = Math.floor(r.start / sector) * sector;
      const b = Math.min(size, Math.ceil((r.start + r.length) / sector) * sector);
      return { start: a, length: b - a };
    }),
  );
}
