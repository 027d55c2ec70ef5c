// The byte scans of csrc/text-scan.c: the 4-gram set of a reassembly window and the map of
// fragments that hold a control character text does not contain (before their first NUL).
import { describe, expect, test } from "bun:test";
import { controlMap, gramHits, gramSetInto, windowStats } from "../../src/native/text-scan.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const bitsOf = (set: Uint32Array) => {
  const out: number[] = [];
  set.forEach((w, i) => {
    for (let b = 0; b < 32; b++) if (w & (1 << b)) out.push(i * 32 + b);
  });
  return out;
};

describe("4-gram set", () => {
  test("one bit per 4-gram: the top 14 bits of (big-endian u32 × 2654435761) mod 2^32", () => {
    // "abcd" = 0x61626364, in exact integer arithmetic.
    const expected = Number(((0x61626364n * 2654435761n) % 2n ** 32n) >> 18n);
    const set = new Uint32Array(512);
    gramSetInto(bytes("abcd"), set);
    expect(bitsOf(set)).toEqual([expected]);
  });

  test("fewer than 4 bytes set nothing; a repeated 4-gram sets one bit; bits accumulate", () => {
    const set = new Uint32Array(512);
    gramSetInto(bytes("abc"), set);
    expect(bitsOf(set)).toEqual([]);
    gramSetInto(bytes("aaaaaaaa"), set);
    expect(bitsOf(set)).toHaveLength(1);
    gramSetInto(bytes("abcd"), set);
    expect(bitsOf(set)).toHaveLength(2);
    expect(() => gramSetInto(bytes("abcd"), new Uint32Array(8))).toThrow(RangeError);
  });
});

describe("control map", () => {
  const unit = 16;
  const piece = (s: string) => bytes(s.padEnd(unit, " ").slice(0, unit));
  test("a C0 control other than BEL BS TAB LF VT FF CR ESC before the first NUL marks a piece", () => {
    const pieces = [
      piece("plain text\tok\r\n"), // 0: text controls only
      piece("bell\x07bs\x08vt\x0bff\x0c"), // 0
      piece("esc \x1b[1m bold"), // 0: ESC is allowed
      piece("soh \x01 binary"), // 1
      piece("text\0\0\x01\x02junk"), // 0: after the NUL (classify decides)
      piece("us \x1f unit sep"), // 1
      piece("del \x7f is not C0"), // 0
      piece("\x1a eof marker"), // 1 (SUB)
    ];
    const buf = new Uint8Array(pieces.length * unit);
    pieces.forEach((p, i) => buf.set(p, i * unit));
    const flags = new Uint8Array(pieces.length).fill(9);
    expect(controlMap(buf, buf.length, unit, flags)).toBe(pieces.length);
    expect(Array.from(flags)).toEqual([0, 0, 0, 1, 0, 1, 0, 1]);
  });

  test("only whole pieces are examined; short flags are refused", () => {
    const buf = new Uint8Array(40).fill(0x41);
    buf[35] = 1; // in the incomplete third piece: not examined
    const flags = new Uint8Array(2);
    expect(controlMap(buf, 40, 16, flags)).toBe(2);
    expect(Array.from(flags)).toEqual([0, 0]);
    expect(() => controlMap(buf, 40, 8, flags)).toThrow(RangeError);
  });
});

describe("4-gram hits", () => {
  test("counts the hashes whose bit is set, repeats included", () => {
    const set = new Uint32Array(512);
    set[0] = 1 << 5;
    set[3] = 1 << 4; // bit 100
    expect(gramHits(set, new Uint16Array([5, 6, 100, 100, 16383]))).toBe(3);
    expect(gramHits(set, new Uint16Array(0))).toBe(0);
  });
});

describe("window statistics", () => {
  /** FNV-1a (32-bit) of ASCII text folded to lower case, in exact integer arithmetic. */
  const fnv = (w: string) => {
    let h = 2166136261n;
    for (const ch of w.toLowerCase()) h = ((h ^ BigInt(ch.charCodeAt(0))) * 16777619n) % 2n ** 32n;
    return Number(h);
  };
  const has = (set: Uint32Array, bits: number, h: number) => (set[(h % bits) >> 5]! & (1 << ((h % bits) & 31))) !== 0;

  test("ASCII: classes, complete lines between the first and last LF, tab indent, words", () => {
    const text = "ab cd\nXx\n\tyy();\nz";
    const units = bytes(text);
    const words = new Uint32Array(32), fine = new Uint32Array(512);
    const st = windowStats(units, units.length, words, fine);
    // letters a b c d X x y y z; spaces: " ", 3 LF, TAB; C syntax "();"
    expect(st.classes).toEqual([9, 0, 5, 3, 0, 0, 0, 0]);
    expect(st.firstBreak).toBe(5);
    expect(st.lastBreak).toBe(text.lastIndexOf("\n"));
    // complete lines: "Xx" (2) and "\tyy();" (6); the cut ones at the edges are not counted
    expect([st.lines, st.maxLine, st.lineSum, st.tabIndent, st.spaceIndent, st.lf, st.crlf]).toEqual([2, 6, 8, 1, 0, 3, 0]);
    expect(st.wordCount).toBe(4); // ab cd Xx yy ("z" is one letter)
    for (const w of ["ab", "cd", "xx", "yy"]) {
      expect(has(words, 1024, fnv(w))).toBe(true);
      expect(has(fine, 16384, fnv(w))).toBe(true);
    }
  });

  test("UTF-16: CJK characters count as their class and as character pairs; CR LF and space indent", () => {
    const text = "x\r\n  \u65e5\u672c\u8a9e\r\n\u0416\u0436";
    const units = Uint16Array.from(text, (c) => c.charCodeAt(0));
    const st = windowStats(units, units.length, new Uint32Array(32), new Uint32Array(512));
    expect(st.classes).toEqual([1, 0, 6, 0, 0, 0, 2, 3]);
    expect(st.wordCount).toBe(3); // two CJK pairs and the Cyrillic word
    expect([st.lines, st.crlf, st.spaceIndent]).toEqual([1, 1, 1]);
  });
});
