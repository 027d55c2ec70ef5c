// GNU ddrescue mapfiles: parse and serialize, nothing else. The layout written is the one
// ddrescue 1.27 writes, byte for byte (printf formats "0x%08llX     %c               %d"
// for the status line, "0x%08llX  0x%08llX  %c" for blocks), so ddrescue, ddrescuelog and
// ddrescueview read our maps, and we read theirs.
import { escapeLatin1 } from "../util/escape.ts";
import { isBlockStatus, isPhaseStatus, type BlockStatus, type PhaseStatus, type StatusLine } from "../rescue/mapfile/status.ts";
import type { Extent } from "../rescue/mapfile/status-map.ts";
import { oneLine } from "../util/one-line.ts";

export type MapfileStatus = StatusLine;

export interface Mapfile {
  current: MapfileStatus;
  blocks: Extent[];
}

export class MapfileError extends Error {
  override name = "MapfileError";
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
  }
}

/** C++ integer literal syntax, as ddrescue accepts: decimal, 0x hex, leading-0 octal. */
function parseNumber(text: string, line: number): number {
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(text)) v = parseInt(text.slice(2), 16);
  else if (/^0[0-7]*$/.test(text)) v = parseInt(text, 8);
  else if (/^[1-9][0-9]*$/.test(text)) v = parseInt(text, 10);
  else throw new MapfileError(`not a number: '${escapeLatin1(text, 40)}'`, line);
  if (!Number.isSafeInteger(v)) throw new MapfileError(`number too large: '${escapeLatin1(text, 40)}'`, line);
  return v;
}

/** A '#' at the start of a line or after whitespace starts a comment. */
function stripComment(line: string): string {
  const m = /(^|\s)#/.exec(line);
  return (m ? line.slice(0, m.index) : line).trim();
}

export interface ParseOptions {
  /** Accept unsorted, overlapping or gappy blocks (user-made domain maps); gaps become '?'. */
  loose?: boolean;
}

export function parseMapfile(text: string, options: ParseOptions = {}): Mapfile {
  let current: MapfileStatus | undefined;
  const blocks: Extent[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const body = stripComment(lines[n]!.replace(/\r$/, ""));
    if (body === "") continue;
    const f = body.split(/\s+/);
    if (!current) {
      if (f.length < 2 || f.length > 3) throw new MapfileError("bad status line", n + 1);
      const st = f[1]!;
      if (!isPhaseStatus(st)) throw new MapfileError(`bad status character '${escapeLatin1(st, 40)}'`, n + 1);
      const pass = f[2] === undefined ? 1 : /^[0-9]+$/.test(f[2]) ? Number(f[2]) : NaN;
      if (!Number.isSafeInteger(pass) || pass < 1) throw new MapfileError(`bad pass number '${escapeLatin1(f[2]!, 40)}'`, n + 1);
      current = { pos: parseNumber(f[0]!, n + 1), status: st, pass };
      continue;
    }
    if (f.length !== 3) throw new MapfileError("bad block line", n + 1);
    const st = f[2]!;
    if (!isBlockStatus(st)) throw new MapfileError(`bad block status '${escapeLatin1(st, 40)}'`, n + 1);
    const pos = parseNumber(f[0]!, n + 1);
    const size = parseNumber(f[1]!, n + 1);
    if (size <= 0) throw new MapfileError("block size must be positive", n + 1);
    if (!options.loose) {
      const prev = blocks[blocks.length - 1];
      const expected = prev ? prev.pos + prev.size : 0;
      if (pos !== expected) throw new MapfileError(`block at 0x${pos.toString(16).toUpperCase()} is ${pos < expected ? "overlapping or unsorted" : "not contiguous with the previous one"}`, n + 1);
    }
    blocks.push({ pos, size, status: st });
  }
  if (!current) throw new MapfileError("no status line", lines.length);
  return { current, blocks: options.loose ? normalizeLoose(blocks) : blocks };
}

/** Sort, let later blocks win where they overlap, fill gaps with non-tried space. */
function normalizeLoose(blocks: Extent[]): Extent[] {
  const out: Extent[] = [];
  const sorted = [...blocks].sort((a, b) => a.pos - b.pos);
  let at = 0;
  for (const b of sorted) {
    const start = Math.max(b.pos, at);
    const end = b.pos + b.size;
    if (end <= start) continue;
    if (start > at) out.push({ pos: at, size: start - at, status: "?" });
    out.push({ pos: start, size: end - start, status: b.status });
    at = end;
  }
  return out;
}

const hex8 = (n: number) => "0x" + n.toString(16).toUpperCase().padStart(8, "0");

export interface MapfileHeader {
  program: string;
  commandLine: string;
  startTime: Date;
  currentTime?: Date;
  /** The phase message ddrescue keeps in the header, e.g. "Finished". */
  message: string;
}

/** "YYYY-MM-DD HH:MM:SS" in local time, as ddrescue prints it. */
export function formatTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * A header field as one comment line of the latin1 text the map is written as: control
 * characters escaped (a newline in a file name would end the comment and break the map),
 * other characters as their UTF-8 bytes (latin1 would keep only the low byte of each, and
 * U+010A would become a newline).
 */
function headerField(text: string): string {
  return Buffer.from(oneLine(text), "utf8").toString("latin1");
}

export function serializeMapfile(map: Mapfile, header?: MapfileHeader): string {
  const out: string[] = [];
  if (header) {
    out.push(`# Mapfile. Created by ${headerField(header.program)}`);
    out.push(`# Command line: ${headerField(header.commandLine)}`);
    out.push(`# Start time:   ${formatTime(header.startTime)}`);
    if (header.currentTime) out.push(`# Current time: ${formatTime(header.currentTime)}`);
    out.push(`# ${headerField(header.message)}`);
  }
  const c = map.current;
  out.push("# current_pos  current_status  current_pass");
  out.push(`${hex8(c.pos)}     ${c.status}               ${c.pass}`);
  out.push("#      pos        size  status");
  for (const b of map.blocks) out.push(`${hex8(b.pos)}  ${hex8(b.size)}  ${b.status}`);
  return out.join("\n") + "\n";
}

export type { BlockStatus, PhaseStatus };
