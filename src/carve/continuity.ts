// Does text B continue text A? The evidence a person would use at a fragment boundary,
// reduced to a few numbers per window so that thousands of candidate pairs score quickly:
// a UTF-8 character or CRLF cut in two, the script (Latin, Cyrillic, Greek, CJK), line
// lengths and the length of the line the join would make, indentation (tabs or spaces),
// C versus prose, and vocabulary (hashed word sets). Positive scores mean "continues".

import { isAscii } from "node:buffer";

/** A start that opens like a file costs this much (see FILE_START). */
const FILE_START_PENALTY = 5;

/** Bytes of text read at either side of a boundary. */
export const WINDOW = 2048;

const CLASSES = 8; // letter, digit, space, C syntax, other ASCII, Latin-1 supplement/extended, Cyrillic/Greek, CJK/kana
const WORD_BITS = 1024;

export interface Window {
  /** Character-class shares (sum 1). */
  classes: Float32Array;
  /** Hashed set of words (and CJK character pairs). */
  words: Uint32Array;
  /** Bits set in `words`. */
  wordBits: number;
  /** The same words in a larger set (fewer collisions), for word completion. */
  wordsFine: Uint32Array;
  wordCount: number;
  /** Longest and mean complete line, in characters; lines = complete lines seen. */
  maxLine: number;
  meanLine: number;
  lines: number;
  crlf: number;
  lf: number;
  tabIndent: number;
  spaceIndent: number;
  /** Start window: continuation bytes before the first character; end window: bytes still missing from the last character. */
  cut: number;
  /** End window: the text after the last newline; start window: the text before the first. */
  edgeLine: string;
  /** Its length in characters (code points). */
  edgeLineLength: number;
  /** Start window: it opens like a file ("#!", "/*", "#include", a heading). */
  fileStart: boolean;
  /** End window: the last byte is CR. */
  endsInCr: boolean;
  /** Start window: the first byte is LF. */
  startsWithLf: boolean;
  /** End window: hashed set of its byte 4-grams; start window: the 4-gram hashes of its first bytes. */
  grams: Uint32Array;
  /** End window: its last 3 bytes; start window: its first 3 (for the 4-grams across the boundary). */
  edgeBytes: Uint8Array;
  /** Start window: the 4-gram hashes of its first PROBE bytes. */
  probeGrams: Uint16Array;
  /** End window: the word the boundary cuts, if any (letters of alphabetic scripts, digits, _);
   *  start window: the same at its beginning. */
  edgeWord: string;
}

const GRAM_BITS = 1 << 14;
const PROBE = 256;

function gram(b: Uint8Array, i: number): number {
  return (Math.imul((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!, 2654435761) >>> 0) >>> 18;
}

function gramSet(b: Uint8Array): Uint32Array {
  const set = new Uint32Array(GRAM_BITS / 32);
  for (let i = 0; i + 4 <= b.length; i++) {
    const h = gram(b, i);
    set[h >> 5]! |= 1 << (h & 31);
  }
  return set;
}

function probeGrams(b: Uint8Array): Uint16Array {
  const n = Math.max(0, Math.min(b.length, PROBE) - 3);
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) out[i] = gram(b, i);
  return out;
}

const across = new Uint8Array(6);

/** Share of the 4-grams of `e`'s last bytes + `s`'s first PROBE bytes that the end window has too. */
function gramContainment(e: Window, s: Window): number {
  let hit = 0;
  let all = 0;
  const set = e.grams;
  // The (up to) three 4-grams that straddle the boundary.
  const el = e.edgeBytes.length, sl = Math.min(3, s.edgeBytes.length);
  across.set(e.edgeBytes, 0);
  across.set(s.edgeBytes.subarray(0, sl), el);
  for (let i = 0; i + 4 <= el + sl; i++) {
    all++;
    const h = gram(across, i);
    if ((set[h >> 5]! & (1 << (h & 31))) !== 0) hit++;
  }
  const g = s.probeGrams;
  for (let i = 0; i < g.length; i++) {
    const h = g[i]!;
    if ((set[h >> 5]! & (1 << (h & 31))) !== 0) hit++;
  }
  all += g.length;
  return all ? hit / all : 0;
}

const FNV_BASIS = 2166136261 | 0;
const FNV_PRIME = 16777619;
const lowerAscii = (c: number) => (c >= 0x41 && c <= 0x5a ? c + 32 : c);

/** FNV-1a of a word, ASCII letters folded to lower case. */
function hashWord(w: string): number {
  let h = FNV_BASIS;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ lowerAscii(w.charCodeAt(i)), FNV_PRIME);
  return h >>> 0;
}

/** Word completion is tested against a larger set: in the small one, one word in four would collide. */
const FINE_BITS = 1 << 14;
const hasBit = (set: Uint32Array, bits: number, h: number) => (set[(h % bits) >> 5]! & (1 << (h % bits & 31))) !== 0;

/** Class of each ASCII code unit: letter, digit, space, C syntax, other. */
const ASCII_CLASS = new Uint8Array(128).fill(4);
for (let c = 0; c < 128; c++) {
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) ASCII_CLASS[c] = 0;
  else if (c >= 0x30 && c <= 0x39) ASCII_CLASS[c] = 1;
  else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) ASCII_CLASS[c] = 2;
  else if ("{}();=*&[]<>#".includes(String.fromCharCode(c))) ASCII_CLASS[c] = 3;
}

const isWordChar = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || (c >= 0xc0 && c < 0x2e80 && c !== 0xd7 && c !== 0xf7);

// How files open: "#!", a C comment or #include, "//", a Markdown/shell heading "# ", XML,
// an INI section, YAML's "---". A block of a file rarely starts exactly there.
const FILE_START = /^(#!|\/\*|\/\/|#include|# |<\?xml|<!DOCTYPE|\[[\w.-]+\]\r?\n|---\r?\n)/;

// Words of alphabetic scripts (CJK has no spaces: its character pairs are in the word set).
const trailingWord = (s: string) => /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}_]{1,40}$/u.exec(s)?.[0] ?? "";
const leadingWord = (s: string) => /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}_]{1,40}/u.exec(s)?.[0] ?? "";

/** Per UTF-16 code unit below 0x80: its class (low 3 bits) and whether it belongs to a word (8). */
const ASCII_FLAGS = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_FLAGS[c] = ASCII_CLASS[c]! | (isWordChar(c) ? 8 : 0);

// Scratch of windowOf (one call at a time, copied out before it returns).
const DECODER = new TextDecoder("utf-8");
const classCounts = new Int32Array(CLASSES);
const utf16 = new Uint16Array(WINDOW);

/** First characters of the FILE_START forms: a window starting otherwise needs no regex. */
const FILE_START_FIRST = new Set(["#", "/", "<", "[", "-"].map((c) => c.charCodeAt(0)));

/**
 * The UTF-16 code units of `body` (UTF-8): the bytes themselves when they are ASCII (most
 * text: no decoding, no string), else the decoded text copied into a scratch array.
 */
function codeUnits(body: Uint8Array): { units: Uint8Array | Uint16Array; n: number; text: string | null } {
  if (isAscii(body)) return { units: body, n: body.length, text: null };
  const text = DECODER.decode(body);
  const units = text.length <= utf16.length ? utf16 : new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return { units, n: text.length, text };
}

function addWordHash(words: Uint32Array, wordsFine: Uint32Array, raw: number): void {
  // Both set sizes are powers of two: a mask is the remainder, in int32 arithmetic (the
  // uint32 remainder was computed in doubles, for every word of every window).
  const k = raw & (WORD_BITS - 1);
  words[k >> 5]! |= 1 << (k & 31);
  const f = raw & (FINE_BITS - 1);
  wordsFine[f >> 5]! |= 1 << (f & 31);
}

/** Features of `bytes` (text, at most a window). `atStart`: the window begins at the boundary. */
export function windowOf(bytes: Uint8Array, atStart: boolean): Window {
  // Characters cut by the window's own edges are left out of the statistics.
  let a = 0;
  while (a < bytes.length && a < 3 && (bytes[a]! & 0xc0) === 0x80) a++;
  let b = bytes.length;
  let missing = 0;
  for (let k = 1; k <= 3 && b - k >= a; k++) {
    const c = bytes[b - k]!;
    if ((c & 0xc0) === 0x80) continue;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (need > k) {
      missing = need - k;
      b -= k;
    }
    break;
  }
  const body = bytes.subarray(a, b);
  const { units, n, text } = codeUnits(body);
  // ASCII: code unit positions are byte positions, and only the short parts needed become strings.
  const slice = (from: number, to: number) => (text !== null ? text.slice(from, to) : DECODER.decode(body.subarray(from, to)));
  const words = new Uint32Array(WORD_BITS / 32);
  const wordsFine = new Uint32Array(FINE_BITS / 32);
  const counts = classCounts;
  counts.fill(0);
  let wordCount = 0;
  // One pass over UTF-16 code units (a CJK character is one unit; the rare astral ones count
  // twice). A lookup table for ASCII: this loop runs for every byte of every window.
  let h = FNV_BASIS;
  let wordLength = 0;
  let prevCjk = -1;
  let lineStart = 0;
  let firstBreak = -1;
  let lastBreak = -1;
  let lines = 0, maxLine = 0, sum = 0, tabIndent = 0, spaceIndent = 0, crlf = 0, lf = 0;
  for (let i = 0; i < n; i++) {
    const c = units[i]!;
    let word: boolean;
    if (c < 0x80) {
      const f = ASCII_FLAGS[c]!;
      counts[f & 7]!++;
      word = f >= 8;
      prevCjk = -1;
    } else {
      // Latin-1 supplement/extended, Cyrillic/Greek, CJK/kana and beyond.
      counts[c < 0x370 ? 5 : c < 0x530 ? 6 : 7]!++;
      if (c >= 0x2e80) {
        if (prevCjk >= 0) {
          addWordHash(words, wordsFine, Math.imul(Math.imul(FNV_BASIS ^ prevCjk, FNV_PRIME) ^ c, FNV_PRIME));
          wordCount++;
        }
        prevCjk = c;
        word = false;
      } else {
        prevCjk = -1;
        word = c >= 0xc0 && c !== 0xd7 && c !== 0xf7;
      }
    }
    if (word) {
      h = Math.imul(h ^ (c >= 0x41 && c <= 0x5a ? c + 32 : c), FNV_PRIME);
      wordLength++;
      continue;
    }
    if (wordLength > 1) {
      addWordHash(words, wordsFine, h);
      wordCount++;
    }
    h = FNV_BASIS;
    wordLength = 0;
    if (c === 0x0a) {
      lf++;
      if (firstBreak >= 0) {
        // A complete line: lineStart..i (the cut lines at either edge are not counted).
        const len = i - lineStart;
        lines++;
        sum += len;
        if (len > maxLine) maxLine = len;
        const first = units[lineStart]!;
        if (first === 0x09) tabIndent++;
        else if (first === 0x20 && units[lineStart + 1] === 0x20) spaceIndent++;
        if (len > 0 && units[i - 1] === 0x0d) crlf++;
      } else firstBreak = i;
      lastBreak = i;
      lineStart = i + 1;
    }
  }
  if (wordLength > 1) {
    addWordHash(words, wordsFine, h);
    wordCount++;
  }
  const classes = new Float32Array(CLASSES);
  if (n) for (let i = 0; i < CLASSES; i++) classes[i] = counts[i]! / n;
  const meanLine = lines ? sum / lines : 0;
  const edgeLine = atStart ? slice(0, firstBreak < 0 ? n : firstBreak) : slice(lastBreak + 1, n);
  return {
    classes, words, wordBits: bitCount(words), wordsFine, wordCount, maxLine, meanLine, lines,
    crlf, lf, tabIndent, spaceIndent,
    cut: atStart ? a : missing,
    edgeLine,
    edgeLineLength: codePoints(edgeLine),
    fileStart: atStart && n > 0 && FILE_START_FIRST.has(units[0]!) && FILE_START.test(text ?? slice(0, n)),
    endsInCr: bytes.length > 0 && bytes[bytes.length - 1] === 0x0d,
    startsWithLf: bytes.length > 0 && bytes[0] === 0x0a,
    grams: atStart ? new Uint32Array(0) : gramSet(bytes),
    // Copied: the caller reuses its read buffer.
    edgeBytes: atStart ? bytes.slice(0, 3) : bytes.slice(Math.max(0, bytes.length - 3)),
    probeGrams: atStart ? probeGrams(bytes) : new Uint16Array(0),
    edgeWord: atStart ? leadingWord(edgeLine.slice(0, 48)) : trailingWord(edgeLine.slice(-48)),
  };
}

/** Characters (code points) of a string: a surrogate pair is one. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function bitCount(set: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < set.length; i++) n += popcount(set[i]!);
  return n;
}

/** |A ∩ B| / |A ∪ B| of two word sets; |A ∪ B| = |A| + |B| - |A ∩ B| with the sizes counted once per window. */
function jaccard(a: Window, b: Window): number {
  let both = 0;
  for (let i = 0; i < a.words.length; i++) both += popcount(a.words[i]! & b.words[i]!);
  const either = a.wordBits + b.wordBits - both;
  return either ? both / either : 0;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa && bb ? ab / Math.sqrt(aa * bb) : 0;
}

export interface Verdict {
  score: number;
  /** The strongest reasons, for the report. */
  reasons: string[];
}


/** A quick test before `continuity`: the cut character is completed and the script is the same. */
export function plausible(e: Window, s: Window): boolean {
  return e.cut === s.cut && cosine(e.classes, s.classes) > 0.6;
}

/** How well text starting with window `s` continues text ending with window `e`. */
export function continuity(e: Window, s: Window): Verdict {
  const reasons: string[] = [];
  let score = 0;
  // A character cut in two must be completed by exactly its missing bytes.
  if (e.cut !== s.cut) return { score: -100, reasons: ["a UTF-8 character cut at the boundary is not completed"] };
  if (e.cut > 0) {
    score += 4;
    reasons.push("completes a UTF-8 character cut at the boundary");
  }
  if (e.endsInCr !== s.startsWithLf && (e.endsInCr || (s.startsWithLf && e.crlf > 0))) {
    score -= 4;
    reasons.push("CR/LF pair broken");
  } else if (e.endsInCr) {
    score += 3;
    reasons.push("completes a CR LF pair");
  }
  if (e.lf >= 3 && s.lf >= 3) {
    const ec = e.crlf / Math.max(1, e.lines), sc = s.crlf / Math.max(1, s.lines);
    if (Math.abs(ec - sc) > 0.5) {
      score -= 3;
      reasons.push("line-ending style changes");
    }
  }
  const cos = cosine(e.classes, s.classes);
  score += (cos - 0.9) * 20;
  if (cos < 0.8) reasons.push("the script or character mix changes");
  const jac = jaccard(e, s);
  if (e.wordCount > 20 && s.wordCount > 20) {
    score += (jac - 0.15) * 12;
    if (jac > 0.25) reasons.push("shared vocabulary");
  }
  if (e.lines >= 3 && s.lines >= 3) {
    const ratio = Math.max(e.maxLine, s.maxLine) / Math.max(1, Math.min(e.maxLine, s.maxLine));
    if (ratio > 1.5) score -= 1.5;
    else score += 0.5;
    const width = Math.max(e.maxLine, s.maxLine);
    const joined = e.edgeLineLength + s.edgeLineLength;
    if (width < 150) {
      if (joined > width + 2) {
        score -= 2;
        reasons.push("the joined line would be longer than any line around it");
      } else if (joined > 0.5 * width) score += 0.5;
    }
  }
  const et = e.tabIndent + e.spaceIndent, st = s.tabIndent + s.spaceIndent;
  if (et >= 2 && st >= 2 && (e.tabIndent > e.spaceIndent) !== (s.tabIndent > s.spaceIndent)) {
    score -= 2;
    reasons.push("indentation changes between tabs and spaces");
  }
  const g = gramContainment(e, s);
  score += (g - 0.55) * 16;
  if (g > 0.7) reasons.push(`${Math.round(g * 100)}% of its 4-grams occur before the boundary`);
  const w1 = e.edgeWord, w2 = s.edgeWord;
  if (w1 && w2) {
    const h = hashWord(w1 + w2);
    if (hasBit(e.wordsFine, FINE_BITS, h) || hasBit(s.wordsFine, FINE_BITS, h)) {
      score += 1.5;
      reasons.push(`completes the word "${w1}${w2}"`);
    }
  }
  if (s.fileStart) {
    score -= FILE_START_PENALTY;
    reasons.push("the next text opens like a file");
  }
  return { score, reasons };
}
