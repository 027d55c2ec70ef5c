// Streaming mapfile parser: bytes in (any chunking), one callback per block out. No
// string per line and no whole-file text, so a 3-million-line map parses in memory
// bounded by what the caller keeps (a StatusMap: ~10-20 bytes per extent).
//
// The syntax is ddrescue's: '#' at the start of a line or after a blank starts a comment;
// fields are separated by blanks; the first non-comment line is the status line
// (position, phase status, optional pass), every other one a block (pos size status);
// numbers are C++ integer literals (decimal, 0x hex, leading-0 octal).
import { isBlockStatus, isPhaseStatus, type StatusLine } from "../rescue/mapfile/status.ts";
import { escapeLatin1 } from "../util/escape.ts";
import { STATUS_CHARS } from "../rescue/mapfile/extent-chunk.ts";

export class MapfileError extends Error {
  override name = "MapfileError";
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
  }
}

/** Receives each block line, in file order. `code` indexes "?*\/-+". */
export type BlockSink = (pos: number, size: number, code: number) => void;

export interface ParseOptions {
  /** Accept unsorted, overlapping or gappy blocks (user-made domain maps); gaps become '?'. */
  loose?: boolean;
}

/** The blanks of JavaScript's \s that can occur in latin1 text. */
function isBlank(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13) || b === 0xa0;
}

/** Value of a hex digit byte, or -1. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let c = 0; c < 16; c++) HEX_VALUE["0123456789abcdef".charCodeAt(c)] = HEX_VALUE["0123456789ABCDEF".charCodeAt(c)] = c;
/** Code of a block status byte ('?*\/-+'), or -1. */
const STATUS_VALUE = new Int8Array(256).fill(-1);
for (let c = 0; c < STATUS_CHARS.length; c++) STATUS_VALUE[STATUS_CHARS.charCodeAt(c)] = c;

/** Where the last hexField() stopped. */
let hexEnd = 0;

/** "0x" and 1-13 hex digits followed by a blank at p: the value (exact: below 2^52), else -1. */
function hexField(b: Uint8Array, p: number, end: number): number {
  if (b[p] !== 48 || (b[p + 1] !== 120 && b[p + 1] !== 88)) return -1;
  const first = p + 2;
  let v = 0;
  let q = first;
  for (; q < end; q++) {
    const d = HEX_VALUE[b[q]!]!;
    if (d < 0) break;
    v = v * 16 + d;
  }
  hexEnd = q;
  return q > first && q - first <= 13 && q < end && isBlank(b[q]!) ? v : -1;
}

function skipBlanks(b: Uint8Array, p: number, end: number): number {
  while (p < end && isBlank(b[p]!)) p++;
  return p;
}

const latin1 = (bytes: Uint8Array, a: number, b: number) => Buffer.from(bytes.buffer, bytes.byteOffset + a, b - a).toString("latin1");

/** Longest line accepted (comments included; ddrescue's command line comment is far shorter). */
const MAX_LINE_BYTES = 1 << 20;

export class MapfileParser {
  current: StatusLine | undefined;
  private line = 1;
  private carry: Uint8Array | null = null;
  private expected = 0;
  /** Start and end offsets of up to 4 fields of the line being parsed. */
  private readonly f = new Int32Array(8);

  constructor(
    private readonly sink: BlockSink,
    private readonly options: ParseOptions = {},
  ) {}

  /** Feed the next piece of the file (parsed in place: only a line split between pieces is copied). */
  push(chunk: Uint8Array): void {
    let s = 0;
    if (this.carry) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.carry = concat(this.carry, chunk);
        this.checkCarry();
        return;
      }
      const line = concat(this.carry, chunk.subarray(0, nl));
      this.carry = null;
      this.parseLine(line, 0, line.length);
      this.line++;
      s = nl + 1;
    }
    for (let nl = chunk.indexOf(10, s); nl >= 0; nl = chunk.indexOf(10, s)) {
      this.parseLine(chunk, s, nl);
      this.line++;
      s = nl + 1;
    }
    if (s < chunk.length) {
      this.carry = chunk.slice(s);
      this.checkCarry();
    }
  }

  /** A line longer than any real mapfile has (a hostile or binary file): one error, bounded memory. */
  private checkCarry(): void {
    if (this.carry!.length > MAX_LINE_BYTES) throw new MapfileError(`line longer than ${MAX_LINE_BYTES} bytes (not a mapfile?)`, this.line);
  }

  /** End of the file: the status line, or an error when there was none. */
  finish(): StatusLine {
    if (this.carry) this.parseLine(this.carry, 0, this.carry.length);
    this.carry = null;
    if (!this.current) throw new MapfileError("no status line", this.line);
    return this.current;
  }

  private parseLine(b: Uint8Array, start: number, end0: number): void {
    const end = end0 > start && b[end0 - 1] === 13 ? end0 - 1 : end0;
    if (this.current && this.fastBlock(b, start, end)) return;
    const f = this.f;
    let n = 0;
    for (let p = start; p < end; ) {
      while (p < end && isBlank(b[p]!)) p++;
      if (p >= end || b[p] === 35) break; // '#': a comment to the end of the line
      const a = p;
      while (p < end && !isBlank(b[p]!)) p++;
      if (n < 4) {
        f[2 * n] = a;
        f[2 * n + 1] = p;
      }
      n++;
    }
    if (n === 0) return;
    const text = (k: number) => latin1(b, f[2 * k]!, f[2 * k + 1]!);
    const oneChar = (k: number) => (f[2 * k + 1]! - f[2 * k]! === 1 ? b[f[2 * k]!]! : -1);
    if (!this.current) {
      if (n < 2 || n > 3) throw new MapfileError("bad status line", this.line);
      const st = text(1);
      if (!isPhaseStatus(st)) throw new MapfileError(`bad status character '${escapeLatin1(st, 40)}'`, this.line);
      const pass = n < 3 ? 1 : /^[0-9]+$/.test(text(2)) ? Number(text(2)) : NaN;
      if (!Number.isSafeInteger(pass) || pass < 1) throw new MapfileError(`bad pass number '${escapeLatin1(text(2), 40)}'`, this.line);
      this.current = { pos: this.number(b, 0), status: st, pass };
      return;
    }
    if (n !== 3) throw new MapfileError("bad block line", this.line);
    const c = oneChar(2);
    const code = c < 0 ? -1 : STATUS_CHARS.indexOf(String.fromCharCode(c));
    if (code < 0 || !isBlockStatus(STATUS_CHARS[code]!)) throw new MapfileError(`bad block status '${escapeLatin1(text(2), 40)}'`, this.line);
    this.block(this.number(b, 0), this.number(b, 1), code);
  }

  /**
   * The lines ddrescue writes ("0x%08llX  0x%08llX  %c", maybe a comment after a blank),
   * parsed in one pass; false hands anything else (and numbers of 14+ hex digits, which
   * may not be exact) to the general parser, which also words the errors.
   */
  private fastBlock(b: Uint8Array, start: number, end: number): boolean {
    const pos = hexField(b, start, end);
    if (pos < 0) return false;
    let p = skipBlanks(b, hexEnd, end);
    const size = hexField(b, p, end);
    if (size < 0) return false;
    p = skipBlanks(b, hexEnd, end);
    const code = p < end ? STATUS_VALUE[b[p++]!]! : -1;
    if (code < 0 || (p < end && !isBlank(b[p]!))) return false;
    p = skipBlanks(b, p, end);
    if (p < end && b[p] !== 35) return false;
    this.block(pos, size, code);
    return true;
  }

  private block(pos: number, size: number, code: number): void {
    if (size <= 0) throw new MapfileError("block size must be positive", this.line);
    if (!this.options.loose) {
      if (pos !== this.expected) {
        throw new MapfileError(`block at 0x${pos.toString(16).toUpperCase()} is ${pos < this.expected ? "overlapping or unsorted" : "not contiguous with the previous one"}`, this.line);
      }
      this.expected = pos + size;
    }
    this.sink(pos, size, code);
  }

  /** Field k as a C++ integer literal: decimal, 0x hex, leading-0 octal. */
  private number(b: Uint8Array, k: number): number {
    const a = this.f[2 * k]!;
    const e = this.f[2 * k + 1]!;
    let base = 10;
    let p = a;
    if (e - a > 2 && b[a] === 48 && (b[a + 1] === 120 || b[a + 1] === 88)) {
      base = 16;
      p = a + 2;
    } else if (b[a] === 48) base = 8;
    let v = 0;
    for (; p < e; p++) {
      const d = digit(b[p]!);
      if (d < 0 || d >= base) throw new MapfileError(`not a number: '${escapeLatin1(latin1(b, a, e), 40)}'`, this.line);
      v = v * base + d;
    }
    if (!Number.isSafeInteger(v)) throw new MapfileError(`number too large: '${escapeLatin1(latin1(b, a, e), 40)}'`, this.line);
    return v;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function digit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
