// The one function every name from a disk goes through before a terminal or a report.
import { describe, expect, test } from "bun:test";
import { escapeBytes, escapeLatin1, escapeText } from "../../src/util/escape.ts";
import { pathOf, MAX_PATH_CHARS, MAX_PATH_DEPTH } from "../../src/ffs/directories.ts";
import { BoundedList } from "../../src/util/bounded-list.ts";

const b = (...x: number[]) => Uint8Array.from(x);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe("escapeBytes", () => {
  test("printable ASCII and UTF-8 are kept", () => {
    expect(escapeBytes(utf8("plain name.txt"))).toBe("plain name.txt");
    expect(escapeBytes(utf8("Grüße €5 日本 🙂"))).toBe("Grüße €5 日本 🙂");
  });

  test("C0, DEL and a backslash are escaped", () => {
    expect(escapeBytes(b(0x1b, 0x5b, 0x32, 0x4a, 0x07, 0x00, 0x0a, 0x0d, 0x09, 0x7f))).toBe("\\x1b[2J\\x07\\x00\\x0a\\x0d\\x09\\x7f");
    expect(escapeBytes(utf8("a\\x1b"))).toBe("a\\\\x1b"); // a literal backslash never reads as an escape
  });

  test("C1 controls, raw or encoded as UTF-8, are escaped byte by byte", () => {
    expect(escapeBytes(b(0x9b, 0x32, 0x4a))).toBe("\\x9b2J");
    expect(escapeBytes(b(0xc2, 0x9b, 0xc2, 0x85, 0xc2, 0xa0))).toBe("\\xc2\\x9b\\xc2\\x85\u00a0");
  });

  test("bytes that are not UTF-8 are escaped: stray continuation, overlong, surrogate, past U+10FFFF, cut short", () => {
    expect(escapeBytes(b(0x80))).toBe("\\x80");
    expect(escapeBytes(b(0xc0, 0xaf))).toBe("\\xc0\\xaf");
    expect(escapeBytes(b(0xe0, 0x80, 0xaf))).toBe("\\xe0\\x80\\xaf");
    expect(escapeBytes(b(0xed, 0xa0, 0x80))).toBe("\\xed\\xa0\\x80");
    expect(escapeBytes(b(0xf4, 0x90, 0x80, 0x80))).toBe("\\xf4\\x90\\x80\\x80");
    expect(escapeBytes(b(0xe2, 0x82))).toBe("\\xe2\\x82");
    expect(escapeBytes(b(0xff, 0x41))).toBe("\\xffA");
  });

  test("the escaped form holds no control character, for every byte value", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(escapeBytes(all)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  test("a limit cuts long input and says how long it was", () => {
    expect(escapeBytes(utf8("x".repeat(1000)), 5)).toBe("xxxxx…(1000 bytes)");
  });
});

test("escapeLatin1: a string read one byte per character escapes like its bytes", () => {
  expect(escapeLatin1("\x1b]0;t\x07\x9b\xff")).toBe("\\x1b]0;t\\x07\\x9b\\xff");
  expect(escapeLatin1("7".repeat(100), 3)).toBe("777…(100 bytes)");
});

test("escapeText: decoded text keeps printable characters, escapes controls", () => {
  expect(escapeText("bad\u009b2J\u001b[0m é\\")).toBe("bad\\x9b2J\\x1b[0m é\\\\");
  expect(escapeText("abcdef", 2)).toBe("ab…(6 characters)");
});

describe("directory paths (ffs/directories.ts)", () => {
  const parents = (pairs: Array<[number, number, string]>) => new Map(pairs.map(([ino, parent, name]) => [ino, { parent, name }]));

  test("a parent cycle ends as an unknown chain, not thousands of levels", () => {
    expect(pathOf(3, parents([[3, 4, "z"], [4, 3, "y"]]))).toBe("?/y/z");
  });

  test("a chain deeper than the limit keeps its last levels", () => {
    const chain: Array<[number, number, string]> = Array.from({ length: 500 }, (_, i) => [i + 3, i + 2, `d${i}`]);
    const p = pathOf(502, parents(chain));
    expect(p.startsWith("…/")).toBe(true);
    expect(p.split("/").length - 1).toBe(MAX_PATH_DEPTH);
    expect(p.endsWith("/d499")).toBe(true);
  });

  test("long names: the path is cut to its last MAX_PATH_CHARS characters", () => {
    const chain: Array<[number, number, string]> = Array.from({ length: 20 }, (_, i) => [i + 3, i + 2, `n${i}`.padEnd(255, "x")]);
    const p = pathOf(22, parents(chain));
    expect(p.length).toBe(MAX_PATH_CHARS + 1);
    expect(p.startsWith("…")).toBe(true);
  });

  test("a healthy path is unchanged", () => {
    expect(pathOf(4, parents([[3, 2, "a"], [4, 3, "b"]]))).toBe("/a/b");
    expect(pathOf(9, parents([]))).toBe("?");
  });
});

test("BoundedList keeps the first items and counts the rest", () => {
  const l = new BoundedList<number>(3);
  for (let i = 0; i < 10; i++) l.push(i);
  expect([l.items, l.dropped, l.total, l.full]).toEqual([[0, 1, 2], 7, 10, true]);
});
