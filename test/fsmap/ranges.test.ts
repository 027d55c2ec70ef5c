// Range-list arithmetic against a byte array: union, subtract, intersect and complement of
// random sorted lists give exactly the bytes a per-byte computation gives.
import { expect, test } from "bun:test";
import { complementRanges, intersectRanges, subtractRanges, unionRanges } from "../../src/fsmap/ranges.ts";
import type { ByteRange } from "../../src/fsmap/types.ts";
import { rng } from "../rescue/helpers.ts";

const N = 400;

function randomList(r: () => number): ByteRange[] {
  const out: ByteRange[] = [];
  for (let k = 0; k < 12; k++) {
    const s = Math.floor(r() * N);
    out.push({ start: s, length: Math.floor(r() * 40) });
  }
  return unionRanges(out);
}

function bits(list: readonly ByteRange[]): boolean[] {
  const b = new Array<boolean>(N + 64).fill(false); // ranges start below N and are shorter than 64
  for (const x of list) for (let i = x.start; i < x.start + x.length; i++) b[i] = true;
  return b;
}

test("union, subtract, intersect, complement agree with a byte array", () => {
  const r = rng(42);
  for (let t = 0; t < 300; t++) {
    const a = randomList(r);
    const b = randomList(r);
    const [A, B] = [bits(a), bits(b)];
    expect(bits(unionRanges(a, b))).toEqual(A.map((x, i) => x || B[i]!));
    expect(bits(subtractRanges(a, b))).toEqual(A.map((x, i) => x && !B[i]!));
    expect(bits(intersectRanges(a, b))).toEqual(A.map((x, i) => x && B[i]!));
    expect(bits(complementRanges(a, 50, 300))).toEqual(A.map((x, i) => !x && i >= 50 && i < 300));
    // results are sorted and non-empty
    for (const out of [subtractRanges(a, b), intersectRanges(a, b)]) {
      for (let i = 0; i < out.length; i++) {
        expect(out[i]!.length).toBeGreaterThan(0);
        if (i) expect(out[i]!.start).toBeGreaterThanOrEqual(out[i - 1]!.start + out[i - 1]!.length);
      }
    }
  }
});
