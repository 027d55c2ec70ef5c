// Crafted FFS images (issue 11, items 12-14): counts, offsets and sizes that lie, directory
// trees with cycles and shared blocks, names with terminal controls. Every run of the built
// binary ends in bounded time and memory with a documented exit code; a superblock that
// cannot be believed is one line and exit 2. Images are built here from code (craft-ffs.ts).
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../helpers/binary.ts";
import { BSIZE, CraftedFfs, FSIZE } from "./craft-ffs.ts";
import { expectContained, expectOneLineError, runMeasured } from "./hostile-run.ts";

const scratch = scratchDir("hostile-ffs");
afterAll(() => scratch.cleanup());
// Each run may take up to the time limit (TIME_LIMIT_MS) before the assertions fail.
setDefaultTimeout(60_000);
let n = 0;
function save(image: Uint8Array): string {
  const p = join(scratch.path, `img${n++}`);
  writeFileSync(p, image);
  return p;
}
const outPath = () => join(scratch.path, `out${n++}`);

/** The three commands that read a whole filesystem. */
const commands = (img: string) => [
  ["ffs", "info", img],
  ["getfree", img, "-o", outPath()],
  ["undelete", img, outPath()],
];

// Each breaks one rule a superblock must keep; every command refuses it in one line.
const badSuperblocks: Array<[string, (f: CraftedFfs) => void, boolean?]> = [
  ["fs_ncg 0xffffffff", (f) => f.view.setUint32(f.sbAt + 44, 0xffffffff, true)],
  ["fs_ncg 2^31-1 (more groups than fs_size needs)", (f) => f.setGroupCount(0x7fffffff)],
  ["fs_ncg 2^31-1 with fs_size to match but fs_cssize too small", (f) => (f.sb32(44, 0x7fffffff), f.sb32(188, 8), f.sb32(36, 0x7ffffff8))],
  ["fs_fpg 0", (f) => f.sb32(188, 0)],
  ["fs_fpg negative", (f) => f.sb32(188, -8)],
  ["fs_ipg 0", (f) => f.sb32(184, 0)],
  ["fs_ipg 0xffffffff", (f) => f.sb32(184, -1)],
  ["fs_bsize 3", (f) => f.sb32(48, 3)],
  ["fs_bsize 2^30", (f) => f.sb32(48, 1 << 30)],
  ["fs_fsize 100", (f) => f.sb32(52, 100)],
  ["fs_fsize larger than fs_bsize", (f) => f.sb32(52, 8192)],
  ["fs_sblkno negative", (f) => f.sb32(8, -16)],
  ["fs_dblkno past fs_fpg", (f) => f.sb32(20, 1 << 30)],
  ["fs_cgsize 2^31-1", (f) => f.sb32(160, 0x7fffffff)],
  ["fs_sbsize 0", (f) => f.sb32(104, 0)],
  ["fs_cssize that does not match fs_ncg", (f) => f.sb32(156, 1 << 30)],
  ["fs_csaddr past the filesystem", (f) => f.sb32(152, 1 << 30)],
  ["UFS2 fs_size -1", (f) => f.sb64(1080, -1), true],
  ["UFS2 fs_size 2^62", (f) => f.sb64(1080, 2 ** 62), true],
  ["UFS2 fs_sblockloc elsewhere", (f) => f.sb64(1000, 8192), true],
];

describe("a superblock that cannot be believed: one line, exit 2, for every command", () => {
  for (const [what, damage, ufs2] of badSuperblocks) {
    test(what, () => {
      const f = new CraftedFfs({ ufs2 });
      damage(f);
      const img = save(f.image);
      for (const argv of commands(img)) expectOneLineError(runMeasured(argv), /no valid UFS1\/UFS2 superblock/);
    });
  }
});

describe("counts that pass validation but not the image (item 12)", () => {
  test("fs_ncg 134217696 groups of 8 fragments in a 1 MiB image: no allocation per group, bounded output", () => {
    // fs_cssize (32-bit, 16 bytes per group) allows at most ~2^27 groups; all but the
    // first few hundred lie past the image's end. Before the fix getfree built an array
    // of every group number (1.1 GB here; with 2^31 groups Bun segfaulted).
    const ncg = 134217696;
    const f = new CraftedFfs({ ufs2: true });
    f.setGroupCount(ncg);
    f.sb32(188, 8);
    for (const [off, v] of [[8, 1], [12, 2], [16, 3], [20, 4]] as const) f.sb32(off, v);
    f.sb64(1096, 4); // csaddr
    f.sb64(1080, ncg * 8);
    const img = save(f.image);
    for (const argv of commands(img)) {
      const r = runMeasured(argv);
      expectContained(r, [1]);
      if (argv[0] !== "ffs") expect(r.stderr).toMatch(/more problems/);
    }
  });

  test("a truncated image: the groups past its end are one message", () => {
    const f = new CraftedFfs({ fragments: 2048 });
    f.setGroupCount(4);
    f.sb32(36, 8192); // fs_size: four groups of 2048
    const r = runMeasured(["getfree", save(f.image), "-o", outPath()]);
    expectContained(r, [1]);
    expect(r.stderr).toMatch(/cylinder groups 1\.\.3 lie past the end of the image/);
  });

  for (const [what, cgoffset] of [["past the image", 1 << 30], ["negative", -(1 << 30)]] as const) {
    test(`UFS1 staggered cylinder-group offsets ${what}`, () => {
      const f = new CraftedFfs();
      f.setGroupCount(2);
      f.sb32(188, 1024); // fpg: two groups of 1024 fragments
      f.sb32(24, cgoffset);
      f.sb32(28, 0); // cgmask 0: group c is moved by cgoffset × c
      f.view.setUint32(f.cgAt + 20, 1024, true); // group 0's ndblk
      const img = save(f.image);
      for (const argv of commands(img)) {
        const r = runMeasured(argv);
        expectContained(r, [1]);
        expect(r.stderr + new TextDecoder().decode(r.stdout)).toMatch(cgoffset > 0 ? /cylinder group 1 lies past the end/ : /cylinder group 1: header at byte -\d+ unreadable \(errno 22\)/);
      }
    });
  }
});

const DIR = 0o040755;

/** A 512-byte chunk: `live` entries, then deleted 12-byte entries in the slack of the last one. */
function chunkWithSlack(live: Array<{ ino: number; name: string | Uint8Array; type?: number }>, deleted: Uint8Array[]): Uint8Array {
  const c = CraftedFfs.chunk(live.length ? live : [{ ino: 0, name: "" }]);
  const v = new DataView(c.buffer);
  // Where the last entry's own bytes end: its slack starts there.
  let off = 0;
  for (let i = 0; i < (live.length || 1) - 1; i++) off += v.getUint16(off + 4, true);
  let p = off + 8 + ((c[off + 7]! + 1 + 3) & ~3);
  for (const name of deleted) {
    if (p + 12 > 512) break;
    v.setUint32(p, 5, true);
    v.setUint16(p + 4, 12, true);
    c[p + 6] = 8;
    c[p + 7] = name.length;
    c.set(name, p + 8);
    p += 12;
  }
  return c;
}

/** Short deleted names: C1 CSI raw, CSI as UTF-8, a byte that is not UTF-8, an ESC sequence
 *  (not a plausible name: never listed, and never raw), and plain ones. */
const hostileNames = [Uint8Array.of(0x9b, 0x32, 0x4a), Uint8Array.of(0x1b, 0x5b, 0x32), Uint8Array.of(0xc2, 0x9b, 0x41), Uint8Array.of(0xff), ...Array.from({ length: 40 }, (_, i) => new TextEncoder().encode(`d${i}`))];

/** A directory block: the given chunks, then chunks whose slack holds `rest` deleted names. */
function directoryBlock(f: CraftedFfs, chunks: Uint8Array[], rest = hostileNames): number {
  const b = f.allocBlock();
  for (let k = 0; k < BSIZE / 512; k++) f.put(b + k, chunks[k] ?? chunkWithSlack([], rest));
  return b;
}

function reportOf(r: { code: number }, out: string): string {
  expect([0, 1]).toContain(r.code);
  const bytes = readFileSync(join(out, "report.txt"));
  // Valid UTF-8, no raw control characters: names were escaped.
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\x80-\x9f]/);
  return text;
}

describe("crafted directories (item 13)", () => {
  test("a parent cycle and one block listed 1036 times: each block scanned once, short paths, report bounded by the image", () => {
    // Before the fix this 8 MiB image gave every name a 4096-level path, 1036 times over
    // (gigabytes of report; here the run is killed at the time limit).
    const f = new CraftedFfs({ fragments: 16384 });
    const b3 = directoryBlock(f, [chunkWithSlack([{ ino: 3, name: ".", type: 4 }, { ino: 2, name: "..", type: 4 }, { ino: 4, name: "y", type: 4 }], hostileNames)]);
    const b4 = directoryBlock(f, [chunkWithSlack([{ ino: 4, name: ".", type: 4 }, { ino: 3, name: "..", type: 4 }, { ino: 3, name: "z", type: 4 }], [])]);
    const indirect = f.allocBlock();
    const pointers = new DataView(f.image.buffer, indirect * FSIZE, BSIZE);
    for (let i = 0; i < BSIZE / 4; i++) pointers.setInt32(i * 4, b3, true);
    f.inode(3, DIR, (12 + BSIZE / 4) * BSIZE, Array(12).fill(b3), indirect);
    f.inode(4, DIR, BSIZE, [b4]);
    const out = outPath();
    const r = runMeasured(["undelete", save(f.image), out]);
    expectContained(r, [0, 1]);
    const report = reportOf(r, out);
    expect(report.length).toBeLessThan(1 << 20);
    // The cycle shows as an unknown chain, never as thousands of levels.
    expect(report).toContain("?/y/z/\\x9b2J: inode 5");
    expect(report).toContain("?/y/z/\\xc2\\x9bA: inode 5");
    expect(report).toContain("?/y/z/\\xff: inode 5");
    // Each name once per place it really is on the disk: 8 chunks of one block.
    expect(report.split("\n").filter((l) => l.startsWith("?/y/z/d7:")).length).toBe(8);
  });

  test("250 nested directories with 255-byte names: paths capped in depth and length", () => {
    const depth = 250;
    const f = new CraftedFfs({ fragments: 16384, ipg: 288 });
    const name = (k: number) => `n${k}-`.padEnd(255, "x");
    const blocks: number[] = [];
    for (let k = 2; k < 2 + depth; k++) {
      const live = [{ ino: k, name: ".", type: 4 }, { ino: Math.max(2, k - 1), name: "..", type: 4 }, { ino: k + 1, name: name(k + 1), type: 4 }];
      blocks.push(directoryBlock(f, [chunkWithSlack(live, k === 1 + depth ? hostileNames : [])], []));
    }
    for (let k = 2; k < 2 + depth; k++) f.inode(k, DIR, BSIZE, [blocks[k - 2]!]);
    const out = outPath();
    const r = runMeasured(["undelete", save(f.image), out]);
    expectContained(r, [0, 1]);
    const lines = reportOf(r, out).split("\n");
    const deep = lines.filter((l) => l.includes("/d7: inode 5"));
    expect(deep).toHaveLength(1);
    for (const l of lines) expect(l.length).toBeLessThan(2048);
    expect(deep[0]).toStartWith("…");
  });
});

describe("names from the disk never reach a terminal raw (item 14)", () => {
  test("ffs info escapes the mount point and volume name", () => {
    const f = new CraftedFfs({ ufs2: true });
    f.setMountPoint("/mnt/\x1b]0;owned\x07\x1b[2J");
    f.setVolumeName(Uint8Array.of(0x76, 0x9b, 0x33, 0x31, 0x6d, 0xc2, 0x85, 0xe2, 0x82, 0xac));
    const r = runMeasured(["ffs", "info", save(f.image)]);
    expectContained(r, [0]);
    const text = new TextDecoder().decode(r.stdout);
    expect(text).toContain("last mount point: /mnt/\\x1b]0;owned\\x07\\x1b[2J");
    // Raw C1 and UTF-8-encoded C1 escaped byte by byte; printable UTF-8 (€) kept.
    expect(text).toContain("volume name:      v\\x9b31m\\xc2\\x85€");
    const json = runMeasured(["ffs", "info", "--json", save(f.image)]);
    expect(JSON.parse(new TextDecoder().decode(json.stdout)).lastMount).toBe("/mnt/\\x1b]0;owned\\x07\\x1b[2J");
  });
});
