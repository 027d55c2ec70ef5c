// Text classification, runs → pieces, and the getfree index, on hand-made fragments.
import { describe, expect, test } from "bun:test";
import { classify, FragmentKind } from "../../src/carve/text-class.ts";
import { PieceAssembler, type PieceInfo } from "../../src/carve/pieces.ts";
import { FragmentIndex, FragmentIndexBuilder, formatIndexHeader, formatIndexRun } from "../../src/carve/fragment-index.ts";

const enc = (s: string, size = 16) => {
  const b = new Uint8Array(size);
  b.set(new TextEncoder().encode(s).subarray(0, size));
  return b;
};
const kind = (b: Uint8Array, utf8 = false) => classify(b, b.length, utf8).kind;

describe("classify", () => {
  test("7-bit text filling the fragment is Text", () => expect(kind(enc("0123456789abcdef"))).toBe(FragmentKind.Text));
  test("text then trailing NULs is TextEnd at the first NUL", () => {
    const c = classify(enc("hello"), 16, false);
    expect(c).toEqual({ kind: FragmentKind.TextEnd, textLength: 5 });
  });
  test("a NUL followed by more text is Binary", () => {
    const b = enc("hello");
    b[10] = 65;
    expect(kind(b)).toBe(FragmentKind.Binary);
  });
  test("bit 7 set is Binary unless --utf8 and valid UTF-8", () => {
    const b = enc("caf\u00e9 na\u00efve...");
    expect(kind(b)).toBe(FragmentKind.Binary);
    expect(kind(b, true)).not.toBe(FragmentKind.Binary);
  });
  test("latin1: 8-bit legacy text is text; C1 controls, DEL and other C0 controls are binary", () => {
    const latin1 = new Uint8Array(Buffer.from("Grüße aus Köln, naïve café\r\n\t\f", "latin1"));
    expect(classify(latin1, latin1.length, "latin1").kind).toBe(FragmentKind.Text);
    expect(classify(latin1, latin1.length, "utf8").kind).toBe(FragmentKind.Binary);
    for (const bad of [0x85, 0x7f, 0x01, 0x1c]) {
      const b = latin1.slice();
      b[3] = bad;
      expect(classify(b, b.length, "latin1").kind).toBe(FragmentKind.Binary);
    }
  });
  test("--utf8 rejects invalid sequences, overlongs and surrogates", () => {
    for (const bad of [[0x41, 0xc0, 0x80, 0x41], [0xe0, 0x80, 0x80, 0x41], [0xed, 0xa0, 0x80, 0x41], [0x41, 0xff, 0x41, 0x41]]) {
      const b = new Uint8Array(bad);
      expect(kind(b, true)).toBe(FragmentKind.Binary);
    }
  });
  test("--utf8 accepts a character cut by either fragment boundary, not one cut by the file end", () => {
    const s = new TextEncoder().encode("a\u20acb"); // 61 e2 82 ac 62
    expect(kind(s.subarray(0, 3), true)).toBe(FragmentKind.Text); // "a" + first 2 bytes of €
    expect(kind(s.subarray(2), true)).toBe(FragmentKind.Text); // last 2 bytes of € + "b"
    const ended = new Uint8Array([0x61, 0xe2, 0x82, 0, 0]);
    expect(kind(ended, true)).toBe(FragmentKind.Binary);
  });
});

function collect(frags: Uint8Array[], options = {}) {
  const pieces: Array<PieceInfo & { text: string }> = [];
  let cur = "";
  const a = new PieceAssembler({
    begin: () => (cur = ""),
    append: (b) => (cur += new TextDecoder().decode(b)),
    end: (info) => pieces.push({ ...info, text: cur }),
  }, options);
  frags.forEach((f, i) => a.push(f, i));
  a.finish();
  return pieces;
}

describe("pieces", () => {
  const bin = new Uint8Array(16).fill(0xff);
  test("a run ending in NULs is complete; a run cut by binary is partial; numbering continues", () => {
    const p = collect([enc("0123456789abcdef"), enc("end"), bin, enc("ABCDEFGHIJKLMNOP"), bin, enc("QRSTUVWXYZ012345")]);
    expect(p.map((x) => [x.number, x.complete, x.text, x.fragments, x.firstFragment, x.lastFragment])).toEqual([
      [1, true, "0123456789abcdefend", 2, 0, 1],
      [2, false, "ABCDEFGHIJKLMNOP", 1, 3, 3],
      [3, false, "QRSTUVWXYZ012345", 1, 5, 5],
    ]);
  });
  test("the separator goes between fragments of one piece only", () => {
    const p = collect([enc("0123456789abcdef"), enc("x"), enc("y")], { separator: new TextEncoder().encode("|") });
    expect(p.map((x) => x.text)).toEqual(["0123456789abcdef|x", "y"]);
    expect(p[0]!.bytes).toBe(18);
  });
  test("a fragment of NULs ends a run as complete and never starts one", () => {
    const p = collect([new Uint8Array(16), enc("0123456789abcdef"), new Uint8Array(16), new Uint8Array(16)]);
    expect(p.map((x) => [x.text, x.complete])).toEqual([["0123456789abcdef", true]]);
  });
});

describe("fragment index", () => {
  test("runs merge when disk-contiguous, and parse back to the same mapping", () => {
    const b = new FragmentIndexBuilder();
    b.add(99, 3);
    b.add(102, 2);
    b.add(200, 1);
    b.add(500, 4);
    expect(b.runs).toEqual([{ stream: 0, disk: 99, count: 5 }, { stream: 5, disk: 200, count: 1 }, { stream: 6, disk: 500, count: 4 }]);
    const ix = FragmentIndex.parse(formatIndexHeader(1024, 0) + b.runs.map(formatIndexRun).join(""));
    expect(ix.fsize).toBe(1024);
    expect([0, 4, 5, 6, 9, 10].map((n) => ix.diskFragment(n))).toEqual([99, 103, 200, 500, 503, null]);
    expect(ix.diskRanges(3, 7)).toEqual([[102, 103], [200, 200], [500, 501]]);
  });
  test("garbage is rejected with a reason", () => {
    expect(() => FragmentIndex.parse("hello")).toThrow(/not a salvage getfree index/);
    expect(() => FragmentIndex.parse(formatIndexHeader(1000, 0))).toThrow(/fsize/);
    expect(() => FragmentIndex.parse(formatIndexHeader(1024, 0) + "0 1\n")).toThrow(/three numbers/);
  });
});
