// Deleted names: a makefs image whose root directory is edited the way BSD's
// ufs_dirremove edits it (the previous entry's d_reclen grows over the removed entry;
// an entry first in its 512-byte chunk gets d_ino = 0). TSK's `fls -d` is the oracle:
// recorded with the image (makefs-cases.ts) always, live with a fresh makefs image when
// makefs and TSK are installed.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FileSource } from "../../src/io/file-source.ts";
import { findSuperblock } from "../../src/ffs/superblock.ts";
import { findDeletedNames } from "../../src/ffs/directories.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { peer, usesLivePeer } from "../helpers/needs.ts";
import { noMakefs, noTsk, run, salvage, scratchDir } from "./fixtures.ts";
import { buildNamesImage, deletedNamesRecipe, unpackImage, type NamesImage, type Order } from "./makefs-cases.ts";

const recording = loadOracle<ReturnType<typeof deletedNamesRecipe.run>>(deletedNamesRecipe.name);
const live = !noMakefs && !noTsk;
if (live) usesLivePeer("makefs");

/** The image and TSK's listing: recorded, or made and listed live. */
function image(order: Order, source: "recorded" | "live"): NamesImage & { fls: string } {
  if (source === "live") {
    const b = buildNamesImage(order, peer("makefs")!, peer("istat")!);
    return { ...b, fls: run([peer("fls")!, "-r", "-d", "-f", "ufs1", b.img]).text };
  }
  const r = recorded(recording, deletedNamesRecipe.name, order) as Awaited<ReturnType<typeof deletedNamesRecipe.run>>;
  return { img: unpackImage(r.image), removedSlack: r.removedSlack, removedFirst: r.removedFirst, fls: r.fls };
}

for (const source of live ? (["recorded", "live"] as const) : (["recorded"] as const)) {
  describe(`deleted names in directory blocks (${source} makefs image and fls)`, () => {
    for (const order of ["le", "be"] as const) {
      test(`UFS1 ${order}: names agree with fls -rd, inode numbers included`, () => {
        const { img, removedSlack, removedFirst, fls } = image(order, source);
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
      const { img, removedSlack } = image("le", source);
      const out = join(scratchDir(), `names-out-${source}`);
      const r = salvage(["undelete", img, out]);
      expect(r.code).toBe(0);
      const report = readFileSync(join(out, "report.txt"), "utf8");
      expect(report).toMatch(/# deleted names \(3 found in 1 directories\)/);
      for (const name of removedSlack) expect(report).toMatch(new RegExp(`^/${name.replace(/\./g, "\\.")}: inode \\d+, inode now reused, entry at byte \\d+$`, "m"));
    });
  });
}
