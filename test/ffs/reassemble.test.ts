// The reassembly engine on an in-memory disk (no image, no FFI): continuity evidence, text
// runs, FFS body/tail joins, and reassembly in segments. Block = 4 fragments of 512 bytes.
import { describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { continuity, windowOf } from "../../src/carve/continuity.ts";
import { reassemble } from "../../src/carve/reassemble.ts";
import { SegmentedRecovery } from "../../src/carve/segmented-recovery.ts";
import { indirectPointers, TextRunCollector } from "../../src/carve/text-runs.ts";
import { scratchDir } from "./fixtures.ts";

const FS = 512, FRAG = 4;
const geo = { fsize: FS, frag: FRAG, size: 4096, bigEndian: false };
const enc = (s: string) => new TextEncoder().encode(s);

function prose(seed: string, bytes: number, width = 60): string {
  const words = seed.split(" ");
  let s = "", line = "", i = 0;
  while (s.length + line.length < bytes) {
    const w = words[i++ % words.length]! + (i % 7 === 0 ? "." : "");
    if (line.length + w.length + 1 > width) (s += line + "\n"), (line = w);
    else line = line ? `${line} ${w}` : w;
  }
  return (s + line).slice(0, bytes);
}

describe("continuity", () => {
  const english = enc(prose("the quick brown fox jumps over the lazy dog while salvage reads every fragment of the disk", 3000));
  test("the real continuation scores above a text in another script", () => {
    const e = windowOf(english.subarray(0, 1024), false);
    const same = continuity(e, windowOf(english.subarray(1024, 2048), true)).score;
    const other = continuity(e, windowOf(enc(prose("быстрая коричневая лиса прыгает через ленивую собаку и читает диск", 1024)), true)).score;
    expect(same).toBeGreaterThan(2);
    expect(other).toBeLessThan(same - 5);
  });
  test("a UTF-8 character cut at the boundary must be completed by the next text", () => {
    const t = enc("naïve café " .repeat(100));
    const cut = t.indexOf(0xc3, 600) + 1; // inside the two bytes of é or ï
    const e = windowOf(t.subarray(0, cut), false);
    expect(e.cut).toBe(1);
    expect(continuity(e, windowOf(t.subarray(cut, cut + 900), true)).score).toBeGreaterThan(0);
    expect(continuity(e, windowOf(enc("plain ascii text ".repeat(50)), true)).score).toBe(-100);
  });
});

describe("text runs", () => {
  test("runs end at binary, repeated-byte and NUL-ended fragments; gaps cut runs", () => {
    const disk = new Uint8Array(8 * FS);
    disk.set(enc(prose("one two three four five six", 1100)), 0); // fragments 0-2 (the third ends in NULs)
    for (let i = 3 * FS; i < 4 * FS; i++) disk[i] = (i * 7919) % 251; // binary
    disk.fill(0x20, 4 * FS, 5 * FS); // one repeated byte
    disk.set(enc(prose("seven eight nine", FS)), 5 * FS);
    disk.set(enc(prose("ten eleven twelve", FS)), 7 * FS);
    const c = new TextRunCollector(geo, "utf8");
    c.push(disk.subarray(0, 6 * FS), 6, 0);
    c.push(disk.subarray(7 * FS), 1, 7); // fragment 6 is allocated: a gap
    expect(c.finish()).toEqual([
      { start: 0, count: 3, endLength: 1100 - 2 * FS, nulEnd: true },
      { start: 5, count: 1, endLength: FS, nulEnd: false },
      { start: 7, count: 1, endLength: FS, nulEnd: false },
    ]);
  });
  test("an indirect block is a prefix of block addresses, then zeros", () => {
    const b = new Uint8Array(FS);
    const v = new DataView(b.buffer);
    [64, 68, 72].forEach((p, i) => v.setUint32(i * 4, p, true));
    expect(indirectPointers(b, geo)).toEqual([64, 68, 72]);
    v.setUint32(12, 73, true); // not block-aligned
    expect(indirectPointers(b, geo)).toBeNull();
  });
});

describe("reassemble", () => {
  test("a body followed by another file's body is cut, and joined to its own tail elsewhere", () => {
    // File A: 2 blocks of body at fragments 8-15, tail of 700 bytes at fragments 2-3 (a partly
    // used block). File B: 1 block at 16-19, tail at 26. File C: small, alone at 24-25.
    const a = prose("salvage reads the free fragments of the cylinder group and finds the inode block", 2 * 4 * FS + 700);
    const long = enc(prose("Быстрая коричневая лиса прыгает через ленивую собаку и читает каждый фрагмент диска", 4 * FS, 50));
    let end = 4 * FS + 300;
    while ((long[end]! & 0xc0) === 0x80) end--;
    const b = new TextDecoder().decode(long.subarray(0, end)); // 2348 bytes or a little less
    const c = "#!/bin/sh\n# a small script\necho hello\n";
    const disk = new Uint8Array(64 * FS);
    const ab = enc(a), bb = enc(b);
    disk.set(ab.subarray(0, 8 * FS), 8 * FS);
    disk.set(ab.subarray(8 * FS), 2 * FS);
    disk.set(bb.subarray(0, 4 * FS), 16 * FS);
    disk.set(bb.subarray(4 * FS), 26 * FS);
    disk.set(enc(c), 24 * FS);
    const col = new TextRunCollector(geo, "utf8");
    col.push(disk, 64, 0);
    const read = (f: number, n: number) => disk.slice(f * FS, (f + n) * FS);
    const files = reassemble(col.finish(), { geo, fpg: 4096, read });
    const texts = files.map((f) => new TextDecoder().decode(Buffer.concat(f.units.map((u) => read(u.start, u.count).subarray(0, u.bytes)))));
    expect(texts.sort()).toEqual([a, b, c].sort());
    expect(files.every((f) => f.complete)).toBe(true);
    const joined = files.find((f) => f.units[0]!.start === 8)!;
    expect(joined.units.map((u) => u.start)).toEqual([8, 12, 2]);
    expect(joined.units[1]!.link!.kind).toBe("tail");
  });
});

describe("segmented recovery", () => {
  test("past its budget the runs collected so far are reassembled and written; numbering goes on", () => {
    const disk = new Uint8Array(40 * FS);
    const texts = [0, 1, 2, 3, 4].map((k) => prose(`file number ${k} says hello to fragment ${k * 7}`, 300 + k * 10));
    texts.forEach((t, k) => disk.set(enc(t), k * 8 * FS)); // one small file per 8 fragments
    const read = (f: number, n: number) => disk.slice(f * FS, (f + n) * FS);
    const dir = join(scratchDir(), "segments");
    mkdirSync(dir);
    const col = new TextRunCollector(geo, "utf8");
    const seg = new SegmentedRecovery(col, { geo, fpg: 4096, read }, { prefix: join(dir, "piece"), fsize: FS, base: 0, encoding: "utf8" }, { runs: 2, fragments: 1e9 });
    for (let f = 0; f < 40; f++) {
      col.push(disk.subarray(f * FS, (f + 1) * FS), 1, f);
      seg.maybeFlush();
    }
    seg.flush(true);
    expect(seg.segments).toBe(3);
    expect(seg.entries.map((e) => e.file)).toEqual(["piece0001", "piece0002", "piece0003", "piece0004", "piece0005"]);
    expect(readdirSync(dir).sort()).toEqual(["piece0001", "piece0002", "piece0003", "piece0004", "piece0005"]);
    expect(readFileSync(join(dir, "piece0003"), "utf8")).toBe(texts[2]!);
  });
});
