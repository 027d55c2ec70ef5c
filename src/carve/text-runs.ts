// First pass of the reassembly: free fragments (as the getfree walk hands them over, in
// address order) → runs of disk-contiguous text fragments, remembered by address only.
// With --encoding utf8 or latin1, a fragment with a C0 control other than BEL, BS, TAB, LF,
// VT, FF, CR or ESC is binary. A run ends at a fragment that is not text, at a gap (an allocated fragment, or one of a
// single repeated byte that the walk skipped), or at a text end (trailing NULs). Binary
// fragments that start a block and look like an FFS indirect block (a list of block
// addresses) are remembered too: they tell where a large file's later blocks are.
import { classify, FragmentKind, type TextEncoding } from "./text-class.ts";

export interface TextRun {
  /** First disk fragment. */
  start: number;
  count: number;
  /** Text bytes in the last fragment (fsize unless it ends in NULs). */
  endLength: number;
  /** The last fragment ends in NULs: a file ends here. */
  nulEnd: boolean;
}

export interface RunGeometry {
  fsize: number;
  /** Fragments per block. */
  frag: number;
  /** Filesystem size in fragments (an indirect block's addresses lie below it). */
  size: number;
  bigEndian: boolean;
}

export class TextRunCollector {
  readonly runs: TextRun[] = [];
  /** Disk fragments of blocks that may be indirect blocks (checked later, when read again). */
  readonly indirectCandidates: number[] = [];
  private open: TextRun | null = null;
  textFragments = 0;

  constructor(private readonly geo: RunGeometry, private readonly encoding: TextEncoding) {}

  /** `count` free fragments from disk fragment `frag` on, bytes in buf. */
  push(buf: Uint8Array, count: number, frag: number): void {
    const { fsize } = this.geo;
    for (let i = 0; i < count; i++) {
      const f = frag + i;
      if (this.open && this.open.start + this.open.count !== f) this.close();
      if (this.encoding !== "ascii" && controlBeforeNul(buf, i * fsize, (i + 1) * fsize)) {
        // Most binary data fails here within a few bytes, without a closer look.
        this.close();
        if (f % this.geo.frag === 0 && this.looksIndirect(buf, i * fsize)) this.indirectCandidates.push(f);
        continue;
      }
      const bytes = buf.subarray(i * fsize, (i + 1) * fsize);
      const c = classify(bytes, fsize, this.encoding);
      if (c.kind === FragmentKind.Binary || (c.kind === FragmentKind.TextEnd && c.textLength === 0) || isUniform(bytes)) {
        this.close();
        if (c.kind === FragmentKind.Binary && f % this.geo.frag === 0 && this.looksIndirect(bytes, 0)) this.indirectCandidates.push(f);
        continue;
      }
      this.textFragments++;
      if (!this.open) this.open = { start: f, count: 0, endLength: fsize, nulEnd: false };
      this.open.count++;
      this.open.endLength = c.textLength;
      if (c.kind === FragmentKind.TextEnd) {
        this.open.nulEnd = true;
        this.close();
      }
    }
  }

  /** Something unreadable came between: the run in progress is cut off. */
  interrupt(): void {
    this.close();
  }

  finish(): TextRun[] {
    this.close();
    return this.runs;
  }

  /** The runs closed so far and the indirect-block candidates, handed over and forgotten
   *  (a run still open stays): reassembly in segments keeps memory bounded. */
  take(): { runs: TextRun[]; indirect: number[] } {
    const out = { runs: this.runs.splice(0), indirect: this.indirectCandidates.splice(0) };
    this.textFragments = 0;
    return out;
  }

  private close(): void {
    if (this.open) this.runs.push(this.open);
    this.open = null;
  }

  /** The 8 bytes at b[at] start like an indirect block (no view made: most fragments are binary). */
  private looksIndirect(b: Uint8Array, at: number): boolean {
    const p0 = u32(b, at, this.geo.bigEndian);
    const p1 = u32(b, at + 4, this.geo.bigEndian);
    const ok = (p: number) => p > 0 && p < this.geo.size && p % this.geo.frag === 0;
    return ok(p0) && (p1 === 0 || ok(p1));
  }
}

const u32 = (b: Uint8Array, at: number, big: boolean) =>
  big ? ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0 : (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/** C0 controls that text files do not contain (all but BEL, BS, TAB, LF, VT, FF, CR, ESC). */
const NOT_TEXT = new Uint8Array(32);
for (const c of [1, 2, 3, 4, 5, 6, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31]) NOT_TEXT[c] = 1;

/** A control character that marks binary data in b[from, to) before the first NUL (a NUL
 *  may begin a text's NUL tail: classify() decides then). The 1990 ASCII rule has no such test. */
function controlBeforeNul(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (c < 32) {
      if (c === 0) return false;
      if (NOT_TEXT[c]) return true;
    }
  }
  return false;
}

/** One byte repeated (a run of spaces, dots, 0xff): it separates texts, it is not one. */
function isUniform(b: Uint8Array): boolean {
  const x = b[0];
  if (b[b.length - 1] !== x || b[b.length >> 1] !== x || b[1] !== x) return false;
  for (let i = 2; i < b.length; i++) if (b[i] !== x) return false;
  return true;
}

/**
 * The block addresses listed by an indirect block, or null if `b` is not one: a prefix of
 * block-aligned fragment addresses inside the filesystem, then zeros only.
 */
export function indirectPointers(b: Uint8Array, geo: RunGeometry): number[] | null {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const out: number[] = [];
  let i = 0;
  for (; i + 4 <= b.length; i += 4) {
    const p = v.getUint32(i, !geo.bigEndian);
    if (p === 0) break;
    if (p >= geo.size || p % geo.frag !== 0) return null;
    out.push(p);
  }
  for (; i < b.length; i++) if (b[i] !== 0) return null;
  return out.length ? out : null;
}
