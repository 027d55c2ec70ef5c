// Bad-block lists: safecopy's `-o` output and `-I`/`-X` input, also e2fsck's `-l` format.
// Text, one unsigned decimal block number per line, ascending. Block numbers count in a
// block size that the file does not record (safecopy's -b, -i or -x): callers carry it.
//
// Reading follows safecopy 1.7 exactly, because the list decides which bytes are re-read:
// lines are taken 63 characters at a time (its fgets buffer is 64 bytes), each piece is
// parsed like `%llu` (leading blanks, optional sign, digits), and the first piece that is
// not a number ends the list. A decreasing number is an error the caller reports.

/** Streaming reader with safecopy's semantics; `restart()` rewinds (the -X list is re-read). */
export class BadblockReader {
  private pos = 0;

  constructor(readonly text: string) {}

  /** The next number, or null at the end of the list (end of text or an unparsable line). */
  next(): number | null {
    if (this.pos >= this.text.length) return null;
    const nl = this.text.indexOf("\n", this.pos);
    const lineEnd = nl < 0 ? this.text.length : nl + 1;
    const end = Math.min(lineEnd, this.pos + 63);
    const piece = this.text.slice(this.pos, end);
    this.pos = end;
    return parseUnsigned(piece);
  }

  restart(): void {
    this.pos = 0;
  }
}

/** `%llu` on one piece of a line: the number, or null when there is none. */
export function parseUnsigned(piece: string): number | null {
  return parseUnsignedCodes((i) => piece.charCodeAt(i), piece.length);
}

/**
 * `%llu` on a piece given as character codes (a string's or a byte buffer's): leading
 * blanks, an optional sign, digits. Null when there is no number.
 */
export function parseUnsignedCodes(code: (i: number) => number, length: number): number | null {
  let i = 0;
  while (i < length && (code(i) === 32 || (code(i) >= 9 && code(i) <= 13))) i++;
  let negative = false;
  if (i < length && (code(i) === 43 || code(i) === 45)) negative = code(i++) === 45;
  let value = 0;
  let digits = 0;
  for (; i < length && code(i) >= 48 && code(i) <= 57; i++, digits++) value = value * 10 + (code(i) - 48);
  if (digits === 0) return null;
  // A minus sign wraps in C; no real list has one, so treat it as the end of the list.
  return negative && value !== 0 ? null : value;
}

/**
 * Streaming reader over bytes with safecopy's semantics (pieces of at most 63 bytes or up
 * to a newline): calls `onNumber` for each number until the first piece without one.
 * Returns false from push() once the list has ended.
 */
export class BadblockStream {
  private readonly piece = new Uint8Array(64);
  private len = 0;
  ended = false;
  /** Whether anything but blanks was seen (an empty file is an empty list, not junk). */
  sawText = false;

  constructor(private readonly onNumber: (n: number) => void) {}

  push(bytes: Uint8Array): boolean {
    for (let i = 0; i < bytes.length && !this.ended; i++) {
      const b = bytes[i]!;
      if (!(b === 32 || (b >= 9 && b <= 13))) this.sawText = true;
      this.piece[this.len++] = b;
      if (b === 10 || this.len === 63) this.emit();
    }
    return !this.ended;
  }

  finish(): void {
    if (this.len > 0 && !this.ended) this.emit();
  }

  private emit(): void {
    const p = this.piece;
    const n = parseUnsignedCodes((i) => p[i]!, this.len);
    this.len = 0;
    if (n === null) this.ended = true;
    else this.onNumber(n);
  }
}

export interface ParsedBadblocks {
  blocks: number[];
  /** Index in `blocks` of the first number smaller than its predecessor, if any. */
  unsortedAt: number | null;
}

/** Whole-list parse (for converters): stops at the first unparsable line like safecopy. */
export function parseBadblocks(text: string): ParsedBadblocks {
  const reader = new BadblockReader(text);
  const blocks: number[] = [];
  let unsortedAt: number | null = null;
  for (let n = reader.next(); n !== null; n = reader.next()) {
    if (unsortedAt === null && blocks.length > 0 && n < blocks[blocks.length - 1]!) unsortedAt = blocks.length;
    blocks.push(n);
  }
  return { blocks, unsortedAt };
}

/** One number per line, as safecopy writes them (`%llu\n`). */
export function formatBadblocks(blocks: Iterable<number>): string {
  let out = "";
  for (const b of blocks) out += `${b}\n`;
  return out;
}

/** A conversion that would give absurd results: a block past 2^53 bytes, or a list too long to write. */
export class BadblocksError extends Error {
  override name = "BadblocksError";
}

/** Most blocks a conversion lists (some 200 MB of text): a map whose bad area spans 2^52 bytes
 *  must not turn into billions of numbers in memory. */
export const MAX_LISTED_BLOCKS = 1 << 24;

/** Byte ranges [start, end) covered by a list of blocks of `blockSize`, adjacent blocks merged. */
export function badblocksToRanges(blocks: readonly number[], blockSize: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const b of blocks) {
    const start = b * blockSize;
    if (!Number.isSafeInteger(start + blockSize)) throw new BadblocksError(`block ${b} lies beyond 2^53 bytes (block size ${blockSize})`);
    const last = ranges[ranges.length - 1];
    if (last && last[1] >= start) last[1] = Math.max(last[1], start + blockSize);
    else ranges.push([start, start + blockSize]);
  }
  return ranges;
}

/** Every block of `blockSize` that a byte range touches, ascending and without duplicates. */
export function rangesToBadblocks(ranges: ReadonlyArray<readonly [number, number]>, blockSize: number): number[] {
  const out: number[] = [];
  for (const [start, end] of ranges) {
    if (end <= start) continue;
    let first = Math.floor(start / blockSize);
    const prev = out[out.length - 1];
    if (prev !== undefined && prev >= first) first = prev + 1;
    const count = Math.ceil(end / blockSize) - first;
    if (out.length + count > MAX_LISTED_BLOCKS)
      throw new BadblocksError(`the list would hold more than ${MAX_LISTED_BLOCKS} blocks of ${blockSize} bytes: use a larger block size`);
    for (let b = first; b * blockSize < end; b++) out.push(b);
  }
  return out;
}
