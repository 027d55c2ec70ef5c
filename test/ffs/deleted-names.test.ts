// Deleted names: a makefs image whose root directory is edited the way BSD's
// ufs_dirremove edits it (the previous entry's d_reclen grows over the removed entry;
// an entry first in its 512-byte chunk gets d_ino = 0). TSK's `fls -d` is the oracle.
import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FileSource } from "../../src/io/file-source.ts";
import { findSuperblock } from "../../src/ffs/superblock.ts";
import { findDeletedNames } from "../../src/ffs/directories.ts";
import { haveMakefs, haveTsk, run, salvage, scratchDir } from "./fixtures.ts";

interface Entry { off: number; ino: number; reclen: number; name: string }

function entries(img: Uint8Array, at: number, big: boolean): Entry[] {
  const v = new DataView(img.buffer, img.byteOffset);
  const out: Entry[] = [];
  for (let chunk = at; chunk < at + 2048; chunk += 512) {
    for (let off = chunk; off < chunk + 512; ) {
      const reclen = v.getUint16(off + 4, !big);
      if (reclen < 8) break; // past the directory's end
      const namlen = img[off + 7]!;
      out.push({ off, ino: v.getUint32(off, !big), reclen, name: new TextDecoder().decode(img.subarray(off + 8, off + 8 + namlen)) });
      off += reclen;
    }
  }
  return out;
}

function makeImage(order: "le" | "be"): { img: string; removedSlack: string[]; removedFirst: Entry } {
  const dir = join(scratchDir(), `names-${order}`);
  mkdirSync(join(dir, "root"), { recursive: true });
  for (let i = 1; i <= 40; i++) writeFileSync(join(dir, "root", `file-number-${i}.txt`), `file ${i}\n`);
  const img = join(dir, "t.img");
  const r = run(["makefs", "-t", "ffs", "-B", order, "-o", "density=8192", "-T", "1700000000", "-s", "4m", img, join(dir, "root")]);
  if (r.code !== 0) throw new Error("makefs failed");
  const rootBlock = Number(/Direct Blocks:\s*\n(\d+)/.exec(run(["istat", "-f", "ufs1", img, "2"]).text)![1]);
  const data = new Uint8Array(readFileSync(img));
  const big = order === "be";
  const v = new DataView(data.buffer);
  const list = entries(data, rootBlock * 1024, big);
  // Slack removal: entries 3 and 6 of chunk 0 (not first in their chunk).
  const removedSlack: string[] = [];
  for (const k of [6, 3]) {
    const prev = list[k - 1]!, gone = list[k]!;
    v.setUint16(prev.off + 4, prev.reclen + gone.reclen, !big);
    prev.reclen += gone.reclen;
    removedSlack.push(gone.name);
  }
  // First-in-chunk removal: the first entry of chunk 1 keeps its name, loses its inode number.
  const removedFirst = list.find((e) => e.off === rootBlock * 1024 + 512)!;
  v.setUint32(removedFirst.off, 0, !big);
  writeFileSync(img, data);
  return { img, removedSlack, removedFirst };
}

describe.skipIf(!haveMakefs || !haveTsk)("deleted names in directory blocks", () => {
  for (const order of ["le", "be"] as const) {
    test(`UFS1 ${order}: names agree with fls -rd, inode numbers included`, () => {
      const { img, removedSlack, removedFirst } = makeImage(order);
      const fls = run(["fls", "-r", "-d", "-f", "ufs1", img]).text;
      const tsk = [...fls.matchAll(/\* (\d+)(?:\(realloc\))?:\s+(.+)/g)].map((m) => ({ inode: Number(m[1]), name: m[2]!.trim() }));
      const src = new FileSource(img);
      const r = findDeletedNames(src, findSuperblock(src));
      src.close();
      expect(r.problems).toEqual([]);
      const ours = r.names.map((n) => ({ inode: n.inode, name: n.name }));
      expect(tsk.length).toBeGreaterThanOrEqual(2);
      // Every name TSK finds, we find with the same inode number.
      for (const t of tsk) expect(ours).toContainEqual(t);
      for (const name of removedSlack) expect(ours.map((o) => o.name)).toContain(name);
      expect(ours).toContainEqual({ inode: 0, name: removedFirst.name });
      for (const n of r.names) expect(n.directory).toBe("/");
      // A removed name whose inode is still allocated is marked as reused (here nothing was freed).
      const slack = r.names.find((n) => n.name === removedSlack[0])!;
      expect(slack.now?.allocated).toBe(true);
    });
  }

  test("undelete lists the names in report.txt", () => {
    const { img, removedSlack } = makeImage("le");
    const out = join(scratchDir(), "names-out");
    const r = salvage(["undelete", img, out]);
    expect(r.code).toBe(0);
    const report = readFileSync(join(out, "report.txt"), "utf8");
    expect(report).toMatch(/# deleted names \(3 found in 1 directories\)/);
    for (const name of removedSlack) expect(report).toMatch(new RegExp(`^/${name.replace(/\./g, "\\.")}: inode \\d+, inode now reused, entry at byte \\d+$`, "m"));
  });
});
