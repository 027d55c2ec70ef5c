// The partition part of `salvage info`: the tables found, each partition with the filesystem in
// it, and the notes about what was not believed; or, with no table, the filesystem on the whole disk.
import { FileSource } from "../io/file-source.ts";
import type { Source } from "../io/source.ts";
import { readBytesOf } from "../io/source-read-bytes.ts";
import { escapeText } from "../util/escape.ts";
import { humanBytes } from "../util/units.ts";
import { diskVolumes, filesystemAt } from "./volume-select.ts";

export interface PartitionReport {
  /** "mbr", "gpt", "bsd" (a label on the whole disk), or null when there is no table. */
  table: string | null;
  sectorSize: number;
  partitions: Array<{ id: string; index: number; scheme: string; type: string; typeName: string; name?: string; start: number; length: number; filesystem: string | null }>;
  /** With no table: the filesystem at byte 0. */
  filesystem?: string | null;
  notes: string[];
}

export function partitionReport(source: Source): PartitionReport {
  const { reading, volumes } = diskVolumes(source);
  const report: PartitionReport = {
    table: reading.table,
    sectorSize: reading.sectorSize,
    partitions: volumes.map((v) => ({ id: v.id, ...v.partition, filesystem: v.filesystem })),
    notes: reading.notes,
  };
  if (!reading.table) report.filesystem = filesystemAt(source, readBytesOf(source), { start: 0, length: source.size ?? 0, label: "whole disk" });
  return report;
}

/** The report of `path`, or null when it is not something with partitions (a pipe, a directory). */
export function partitionReportOf(path: string): PartitionReport | { error: string } {
  let source: FileSource;
  try {
    source = new FileSource(path);
  } catch (e) {
    return { error: (e as Error).message };
  }
  try {
    return partitionReport(source);
  } finally {
    source.close();
  }
}

export function partitionReportText(r: PartitionReport): string {
  const notes = r.notes.map((n) => `  note:            ${escapeText(n)}\n`).join("");
  if (!r.table) return `  partitions:      none (no MBR, GPT or BSD disklabel)\n  filesystem:      ${r.filesystem ?? "not recognised"}\n${notes}`;
  const head = `  partitions:      ${r.table}, ${r.sectorSize}-byte sectors${r.partitions.length ? "" : ", none listed"}\n`;
  const rows = r.partitions.map((p) => {
    // Names from the disk come escaped from src/partitions (gpt.ts); type names are salvage's own.
    const type = `${p.type.length > 8 ? "" : `${p.type} `}${p.typeName}${p.name && p.scheme !== "bsd" ? ` "${p.name}"` : ""}`;
    return `    ${p.id.padStart(3)}  ${p.scheme.padEnd(4)} ${(type.length > 60 ? `${type.slice(0, 59)}…` : type).padEnd(34)} ${String(p.start).padStart(13)} ${humanBytes(p.length).padStart(11)}  ${p.filesystem ?? "-"}`;
  });
  const title = r.partitions.length ? `      #  tbl  type                                       offset        size  filesystem\n` : "";
  return head + title + rows.map((l) => l + "\n").join("") + notes;
}
