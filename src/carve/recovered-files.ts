// Reassembled files → numbered files in OUTDIR (piece0001, partial ones piece0002p, as the
// 1990 tool named them), and what the report says about each: length, disk ranges,
// complete/partial, encoding, confidence, and which runs were joined and why.
import { isAscii } from "node:buffer";
import { dirname } from "node:path";
import { refuseForeignSymlink } from "../util/foreign-symlink.ts";
import { syncFileSystem } from "../util/sync-fs.ts";
import { ByteWriter } from "./byte-writer.ts";
import { pieceName } from "./piece-files.ts";
import type { RecoveredFile, Unit } from "./reassemble.ts";
import { rangesText } from "./report.ts";

export interface RecoveredEntry {
  file: string;
  bytes: number;
  complete: boolean;
  encoding: string;
  confidence: number;
  /** Disk fragment ranges [first, last], in file order. */
  fragments: Array<[number, number]>;
  /** Disk byte ranges [first, last], in file order. */
  diskBytes: Array<[number, number]>;
  joins: Array<{ atByte: number; fragment: number; how: string; score: number; reasons: string[]; alternative?: string }>;
  /** Cut from contiguous text: the alternative was to go on into `fragment` (continuity score). */
  cuts: Array<{ side: "start" | "end"; fragment: number; score: number | null }>;
}

function ranges(units: Unit[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const u of units) {
    const last = out[out.length - 1];
    if (last && last[1] + 1 === u.start) last[1] = u.start + u.count - 1;
    else out.push([u.start, u.start + u.count - 1]);
  }
  return out;
}

/** What the bytes are: ascii when 7-bit, else the encoding that made them text. */
function encodingOf(sample: Uint8Array, encoding: string): string {
  return isAscii(sample) ? "ascii" : encoding;
}

export interface WriteOptions {
  prefix: string;
  fsize: number;
  base: number;
  encoding: string;
  read(frag: number, count: number): Uint8Array;
  /** Called per file written (progress). */
  onFile?(n: number): void;
  /** Number of the first file (files of earlier segments came before). */
  firstNumber?: number;
}

/**
 * Write every file; returns the report entries. Files get their final names only after
 * all of them are durable (one syncfs): a failure or a crash leaves no half-written file
 * under a final name, and only temporary names to remove.
 */
export function writeRecovered(files: RecoveredFile[], o: WriteOptions): RecoveredEntry[] {
  const entries: RecoveredEntry[] = [];
  const pending: Array<{ commit(): void; discard(): void; temp: string }> = [];
  try {
    // The directory once, not each of the hundreds of files (byte-writer.ts).
    refuseForeignSymlink(dirname(o.prefix));
    writeAll(files, o, entries, pending);
    syncFileSystem(dirname(o.prefix), pending.map((p) => p.temp));
    while (pending.length) pending.shift()!.commit();
  } catch (e) {
    for (const p of pending) p.discard();
    throw e;
  }
  return entries;
}

function writeAll(files: RecoveredFile[], o: WriteOptions, entries: RecoveredEntry[], pending: Array<{ commit(): void; discard(): void; temp: string }>): void {
  const ordered = files.slice().sort((a, b) => a.units[0]!.start - b.units[0]!.start);
  ordered.forEach((f, i) => {
    const n = i + (o.firstNumber ?? 1);
    // A buffer the file's size (most are a few KiB), not 64 KiB zeroed for each of hundreds.
    const size = f.units.reduce((sum, u) => sum + u.bytes, 0);
    const w = new ByteWriter(pieceName(o.prefix, n, true), Math.min(1 << 16, Math.max(4096, size)), true);
    let eight = false;
    const joins: RecoveredEntry["joins"] = [];
    try {
      for (const u of f.units) {
        // Large units are read a block group at a time (bounded memory for a huge file).
        for (let at = 0; at < u.count; at += 256) {
          const count = Math.min(256, u.count - at);
          const bytes = o.read(u.start + at, count);
          const keep = Math.min(count * o.fsize, u.bytes - at * o.fsize);
          const part = bytes.subarray(0, keep);
          if (!eight && encodingOf(part, o.encoding) !== "ascii") eight = true;
          w.write(part);
        }
        if (u.link && u.link.kind !== "next") {
          const alt = u.link.alternative;
          joins.push({
            atByte: w.written, fragment: u.cont!.start, how: u.link.kind, score: Math.round(u.link.score * 10) / 10, reasons: u.link.reasons,
            alternative: alt ? `fragments ${alt.start}-${alt.start + alt.count - 1} (score ${alt.score.toFixed(1)})` : undefined,
          });
        }
      }
      pending.push({ ...w.finishDeferred(pieceName(o.prefix, n, f.complete)), temp: w.tempPath! });
    } catch (e) {
      w.abandon();
      throw e;
    }
    o.onFile?.(n);
    const fr = ranges(f.units);
    entries.push({
      file: pieceName(o.prefix, n, f.complete).split("/").pop()!, bytes: f.bytes, complete: f.complete, encoding: eight ? o.encoding : "ascii",
      confidence: Math.round(f.confidence * 100) / 100, fragments: fr,
      diskBytes: fr.map(([a, b]) => [o.base + a * o.fsize, o.base + (b + 1) * o.fsize - 1]), joins,
      cuts: f.cuts.map((c) => ({ ...c, score: c.score === null ? null : Math.round(c.score * 10) / 10 })),
    });
  });
}

/** One report.txt line per file, then one indented line per join. */
export function entryLines(e: RecoveredEntry, fsize: number, base: number): string[] {
  const frags = e.fragments.reduce((s, [a, b]) => s + b - a + 1, 0);
  const head = `${e.file}: ${e.complete ? "complete" : "partial "} ${e.bytes} bytes in ${frags} fragment${frags === 1 ? "" : "s"}, ${rangesText(e.fragments, fsize, base)}; ${e.encoding}, confidence ${e.confidence.toFixed(2)}`;
  const cut = (c: RecoveredEntry["cuts"][number]) =>
    `    ${c.side === "start" ? "starts after" : "ends before"} fragment ${c.fragment} of the same text run: a likely file boundary${c.score === null ? "" : ` (going on there scored ${c.score})`}`;
  return [
    head,
    ...e.joins.map((j) => `    joined at byte ${j.atByte} to fragment ${j.fragment} (${j.how}, score ${j.score}): ${j.reasons.join("; ") || "best continuation"}${j.alternative ? `; alternative: ${j.alternative}` : ""}`),
    ...e.cuts.map(cut),
  ];
}
