// Streaming mapfile serialiser: the text ddrescue 1.27 writes, produced a bounded piece
// at a time straight into bytes (no string per line, no whole-file text). A background
// save takes one piece between two reads, so a 3-million-line map never stalls reading;
// a final save or a map tool just loops until done.
import { STATUS_CHARS } from "../rescue/mapfile/extent-chunk.ts";
import { oneLine } from "../util/one-line.ts";
import type { ExtentVisitor } from "../rescue/mapfile/extent-view.ts";
import type { StatusLine } from "../rescue/mapfile/status.ts";
import { formatTime, type MapfileHeader } from "./mapfile-header.ts";

/** Anything that can list extents from a position on: a StatusMap, a snapshot, an array adapter. */
export interface BlockSource {
  scan(visit: ExtentVisitor, from?: number): void;
}

/** Longest block line: two 0x + 14-digit numbers (2^53), blanks, status, newline. */
const MAX_LINE = 2 * 16 + 6;

/** Bytes of one piece; small enough to encode and write in well under a millisecond. */
export const PIECE_BYTES = 16 * 1024;

const HEX = new TextEncoder().encode("0123456789ABCDEF");

/** "0x%08llX" into buf at off; returns the offset after it. */
function putHex8(buf: Uint8Array, off: number, n: number): number {
  buf[off++] = 48;
  buf[off++] = 120;
  if (n >= 2 ** 32) {
    // High part without padding, then the low 32 bits as 8 digits.
    const hi = Math.floor(n / 2 ** 32);
    let digits = 0;
    for (let v = hi; v > 0; v >>>= 4) digits++;
    for (let k = digits - 1, v = hi; k >= 0; k--, v >>>= 4) buf[off + k] = HEX[v & 15]!;
    off += digits;
  }
  const lo = n >>> 0;
  for (let k = 7; k >= 0; k--) buf[off + 7 - k] = HEX[(lo >>> (k * 4)) & 15]!;
  return off + 8;
}

/**
 * A header field on one line: control characters escaped (a destination name with a
 * newline must not end the comment), other characters as their UTF-8 bytes (the text is
 * written as latin1, which would keep only the low byte: U+010A would become a newline).
 */
function headerField(text: string): string {
  return Buffer.from(oneLine(text), "utf8").toString("latin1");
}

export function headerText(current: StatusLine, header?: MapfileHeader): string {
  const out: string[] = [];
  if (header) {
    out.push(`# Mapfile. Created by ${headerField(header.program)}`);
    out.push(`# Command line: ${headerField(header.commandLine)}`);
    out.push(`# Start time:   ${formatTime(header.startTime)}`);
    if (header.currentTime) out.push(`# Current time: ${formatTime(header.currentTime)}`);
    if (header.message) out.push(`# ${headerField(header.message)}`);
  }
  const hex8 = (n: number) => "0x" + n.toString(16).toUpperCase().padStart(8, "0");
  out.push("# current_pos  current_status  current_pass");
  out.push(`${hex8(current.pos)}     ${current.status}               ${current.pass}`);
  out.push("#      pos        size  status");
  return out.join("\n") + "\n";
}

export class MapfileEncoder {
  private head: Uint8Array | null;
  private next = 0;
  private done = false;
  private readonly buf: Uint8Array;

  constructor(
    private readonly blocks: BlockSource,
    current: StatusLine,
    header?: MapfileHeader,
    pieceBytes = PIECE_BYTES,
  ) {
    this.head = Buffer.from(headerText(current, header), "latin1");
    this.buf = new Uint8Array(Math.max(pieceBytes, MAX_LINE));
  }

  /** The next piece of the file (valid until the next call), or null at the end. */
  piece(): Uint8Array | null {
    if (this.head) {
      const h = this.head;
      this.head = null;
      return h;
    }
    if (this.done) return null;
    const buf = this.buf;
    let off = 0;
    this.done = true;
    this.blocks.scan((a, b, code) => {
      if (a < this.next) return; // the extent the last piece ended in (scan starts there)
      if (off + MAX_LINE > buf.length) {
        this.next = a;
        this.done = false;
        return false;
      }
      off = putHex8(buf, off, a);
      buf[off++] = 32;
      buf[off++] = 32;
      off = putHex8(buf, off, b - a);
      buf[off++] = 32;
      buf[off++] = 32;
      buf[off++] = STATUS_CHARS.charCodeAt(code);
      buf[off++] = 10;
    }, this.next);
    return off > 0 ? buf.subarray(0, off) : null;
  }
}

/** Adapter: an array of blocks (sorted by position) as a BlockSource. */
export function arrayBlocks(blocks: ReadonlyArray<{ pos: number; size: number; status: string }>): BlockSource {
  return {
    scan(visit, from = 0) {
      let lo = 0;
      let hi = blocks.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (blocks[mid]!.pos + blocks[mid]!.size <= from) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < blocks.length; i++) {
        const b = blocks[i]!;
        if (visit(b.pos, b.pos + b.size, STATUS_CHARS.indexOf(b.status)) === false) return;
      }
    },
  };
}

/** Every piece, concatenated (small maps and tests). */
export function encodeAll(enc: MapfileEncoder): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let p = enc.piece(); p; p = enc.piece()) parts.push(p.slice());
  return Buffer.concat(parts);
}
