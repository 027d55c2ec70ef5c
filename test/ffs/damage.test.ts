// Reading a failing device: an unreadable fragment is reported and skipped, never fatal
// and never zero-filled; a truncated image reports what is missing; a bad cylinder-group
// header skips that group only.
import { describe, expect, test } from "bun:test";
import { MemorySource, type MemoryDamage } from "../../src/io/memory-source.ts";
import { findSuperblock } from "../../src/ffs/superblock.ts";
import { walkFree, type WalkOptions } from "../../src/ffs/free-walk.ts";
import { cgtod } from "../../src/ffs/geometry.ts";
import { fixtureBytes } from "./fixtures.ts";

function walk(data: Uint8Array, damage: MemoryDamage = {}, options: WalkOptions = {}) {
  const src = new MemorySource(data, damage);
  const sb = findSuperblock(src);
  const got = new Map<number, Uint8Array>();
  const unreadable: Array<[number, number, number]> = [];
  const groupErrors: string[] = [];
  const stats = walkFree(src, sb, {
    fragments(buf, count, frag) {
      for (let i = 0; i < count; i++) got.set(frag + i, buf.slice(i * sb.raw.fsize, (i + 1) * sb.raw.fsize));
    },
    unreadable: (frag, count, errno) => unreadable.push([frag, count, errno]),
    groupError: (m) => groupErrors.push(m),
  }, { keepUniform: true, chunkBytes: 64 * 1024, ...options });
  return { sb, got, unreadable, groupErrors, stats, src };
}

describe("damage", () => {
  const data = fixtureBytes("deleted_ufs1_le.img.gz");
  const clean = walk(data);

  test("a bad sector inside a free run loses exactly its fragment", () => {
    // Fragment 101 (fsize 1024) holds part of the deleted text; one bad 512-byte sector in it.
    const bad = walk(data, { bad: [[101 * 1024 + 512, 101 * 1024 + 1024]] });
    expect(bad.unreadable).toEqual([[101, 1, 5]]);
    expect(bad.stats.unreadableFragments).toBe(1);
    expect(bad.got.has(101)).toBe(false);
    expect(bad.got.size).toBe(clean.got.size - 1);
    for (const [f, bytes] of bad.got) expect(Buffer.compare(Buffer.from(bytes), Buffer.from(clean.got.get(f)!))).toBe(0);
  });

  test("reads stay large on healthy areas (one read per chunk, not per fragment)", () => {
    const reads = clean.src.reads.filter((r) => r.length >= 64 * 1024).length;
    expect(reads).toBeGreaterThan(0);
    expect(clean.src.reads.length).toBeLessThan(clean.got.size / 8);
  });

  test("a truncated image: the missing tail is reported, what exists is still read", () => {
    const cut = data.slice(0, 2 * 1024 * 1024 + 300);
    const t = walk(cut);
    expect(t.stats.missingFragments).toBeGreaterThan(0);
    const firstMissing = t.unreadable[0]!;
    expect(firstMissing[2]).toBe(0);
    // The partial fragment at the cut is not passed on (it would be half data, half nothing).
    expect(t.got.has(2048)).toBe(false);
    expect(t.got.has(2047)).toBe(clean.got.has(2047));
    expect(t.stats.passedFragments + t.stats.missingFragments).toBe(clean.stats.passedFragments);
  });

  test("an unreadable cylinder-group header skips that group with a message", () => {
    const d = fixtureBytes("ffs.bin.gz");
    const sb = findSuperblock(new MemorySource(d));
    const at = cgtod(sb, 2) * sb.raw.fsize;
    const r = walk(d, { bad: [[at, at + 512]] });
    expect(r.groupErrors.length).toBe(1);
    expect(r.groupErrors[0]).toMatch(/cylinder group 2: header at byte \d+ unreadable/);
    expect(r.stats.groupsWalked).toBe(3);
  });

  test("a corrupted cylinder-group magic skips that group with a message", () => {
    const d = fixtureBytes("ffs.bin.gz").slice();
    const sb = findSuperblock(new MemorySource(d));
    const at = cgtod(sb, 1) * sb.raw.fsize + 4;
    d[at] = d[at]! ^ 0xff;
    const r = walk(d);
    expect(r.groupErrors).toEqual([expect.stringMatching(/cylinder group 1: no cylinder-group magic/)]);
  });

  test("cylinder-group selection and --since", () => {
    const d = fixtureBytes("ffs.bin.gz");
    const only = walk(d, {}, { groups: [3, 1] });
    expect(only.stats.groupsWalked).toBe(2);
    const fpg = only.sb.raw.fpg;
    for (const f of only.got.keys()) expect([1, 3]).toContain(Math.floor(f / fpg));
    const none = walk(d, {}, { since: 2 ** 31 });
    expect(none.stats.groupsWalked).toBe(0);
    expect(none.stats.groupsSkipped).toBe(4);
    const all = walk(d, {}, { since: 0 });
    expect(all.stats.groupsWalked).toBe(4);
  });

  test("default getfree skips fragments of one repeated byte", () => {
    const r = walk(data, {}, { keepUniform: false });
    expect(r.stats.uniformFragments + r.stats.passedFragments).toBe(clean.stats.passedFragments);
    for (const bytes of r.got.values()) expect(bytes.every((b) => b === bytes[0])).toBe(false);
    expect([...r.got.keys()].slice(0, 5)).toEqual([99, 100, 101, 102, 103]);
  });
});
