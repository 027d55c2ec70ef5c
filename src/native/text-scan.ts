// Typed wrappers over the byte scans of csrc/text-scan.c.
import { shim } from "./library.ts";

/** Set, in `set` (512 words), the bit of every byte 4-gram of bytes (see csrc/text-scan.c). */
export function gramSetInto(bytes: Uint8Array, set: Uint32Array): void {
  if (set.length < 512) throw new RangeError("a 4-gram set has 512 words");
  if (bytes.length >= 4) shim().shim_text_gram_set(bytes, bytes.length, set);
}

/** flags[i] = 1 when the i-th `unit`-byte piece of buf[0, length) has a control character
 *  that text does not contain before its first NUL. */
export function controlMap(buf: Uint8Array, length: number, unit: number, flags: Uint8Array): number {
  if (flags.length < Math.floor(length / unit) || length > buf.length) throw new RangeError("controlMap: buffer or flags too short");
  return shim().shim_text_control_map(buf, length, unit, flags) as number;
}

/** How many of the 14-bit hashes in `grams` have their bit set in `set` (512 words). */
export function gramHits(set: Uint32Array, grams: Uint16Array): number {
  if (set.length < 512) throw new RangeError("a 4-gram set has 512 words");
  return grams.length ? (shim().shim_text_gram_hits(set, grams, grams.length) as number) : 0;
}

export interface WindowStats {
  /** Code units per class: letter, digit, space, C syntax, other ASCII, < U+0370, < U+0530, the rest. */
  classes: number[];
  wordCount: number;
  lines: number;
  maxLine: number;
  lineSum: number;
  tabIndent: number;
  spaceIndent: number;
  crlf: number;
  lf: number;
  /** Index of the first and last LF, -1 when none. */
  firstBreak: number;
  lastBreak: number;
}

const stats = new Float64Array(18);

/**
 * One pass over the first `n` UTF-16 code units in `units` (a Uint8Array when they are all
 * ASCII): class counts and line statistics, and the hashed words ORed into `words` (32
 * words) and `wordsFine` (512). See csrc/text-scan.c.
 */
export function windowStats(units: Uint8Array | Uint16Array, n: number, words: Uint32Array, wordsFine: Uint32Array): WindowStats {
  if (n > units.length || words.length < 32 || wordsFine.length < 512) throw new RangeError("windowStats: arrays too short");
  shim().shim_text_window_stats(units, n, units instanceof Uint16Array ? 1 : 0, words, wordsFine, stats);
  const s = stats;
  return {
    classes: [s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!, s[6]!, s[7]!],
    wordCount: s[8]!, lines: s[9]!, maxLine: s[10]!, lineSum: s[11]!, tabIndent: s[12]!, spaceIndent: s[13]!,
    crlf: s[14]!, lf: s[15]!, firstBreak: s[16]!, lastBreak: s[17]!,
  };
}
