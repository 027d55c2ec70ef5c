// The deleted_* fixtures: `salvage undelete` brings the planted text back as one piece,
// in both byte orders, UFS1 and UFS2, including the superblock-at-8192 images TSK cannot open.
import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deletedText, fixturePath, salvage, scratchDir } from "./fixtures.ts";

const text = deletedText();

describe("undelete on the deleted_* fixtures", () => {
  test("the planted text is 4491 bytes (README)", () => expect(text.length).toBe(4491));

  for (const name of ["deleted_ufs1_le", "deleted_ufs1_be", "deleted_ufs2_le_sb8192", "deleted_ufs2_be_sb8192"]) {
    test(`${name}: one complete piece equal to the deleted file`, () => {
      const out = join(scratchDir(), `undelete-${name}`);
      const r = salvage(["undelete", "--classic", fixturePath(`${name}.img.gz`), out]);
      expect(r.code).toBe(0);
      const pieces = readdirSync(out).filter((f) => f.startsWith("piece"));
      const matching = pieces.filter((p) => readFileSync(join(out, p), "latin1").includes("DELETED-TEXT"));
      expect(matching).toEqual(["piece0001"]); // complete: no "p" suffix
      expect(readFileSync(join(out, "piece0001"), "latin1")).toBe(text);
      const report = readFileSync(join(out, "report.txt"), "utf8");
      const frag = name.startsWith("deleted_ufs1") ? [99, 103] : [163, 167];
      expect(report).toContain(`piece0001: complete 4491 bytes in 5 fragments, disk fragments ${frag[0]}-${frag[1]} (bytes ${frag[0]! * 1024}-${(frag[1]! + 1) * 1024 - 1})`);
    });
  }

  // Here the planted text is the first 4096 bytes, exactly one fragment, cut mid-line and
  // followed on disk by an old inode block: the whole text comes back in one piece, and it
  // is (rightly) marked partial, since nothing shows where the file ended.
  for (const name of ["deleted_ufs2_freebsd_le", "deleted_ufs2_freebsd_be"]) {
    test(`${name}: the planted 4096 bytes come back as one piece at fragment 57`, () => {
      const out = join(scratchDir(), `undelete-${name}`);
      const r = salvage(["undelete", "--classic", fixturePath(`${name}.img.gz`), out]);
      expect(r.code).toBe(0);
      const pieces = readdirSync(out).filter((f) => f.startsWith("piece"));
      const matching = pieces.filter((p) => readFileSync(join(out, p), "latin1").includes("DELETED-TEXT"));
      expect(matching.length).toBe(1);
      expect(readFileSync(join(out, matching[0]!), "latin1")).toBe(text.slice(0, 4096));
      expect(readFileSync(join(out, "report.txt"), "utf8")).toContain(`${matching[0]}: partial  4096 bytes in 1 fragment, disk fragments 57 (byte ${57 * 4096})`);
    });
  }

  test("getfree | textpieces gives the same piece and real disk offsets from the index", () => {
    const dir = scratchDir();
    const img = fixturePath("deleted_ufs1_be.img.gz");
    const ix = join(dir, "be.index");
    const g = salvage(["getfree", img, "--index", ix]);
    expect(g.code).toBe(0);
    const t = salvage(["textpieces", join(dir, "tp-be-"), "--index", ix], g.stdout);
    expect(t.code).toBe(0);
    expect(new TextDecoder().decode(t.stdout)).toContain(`tp-be-0001: complete 4491 bytes in 5 fragments, disk fragments 99-103 (bytes 101376-106495)`);
    expect(readFileSync(join(dir, "tp-be-0001"), "latin1")).toBe(text);
  });

  test("undelete refuses a non-empty output directory", () => {
    const dir = join(scratchDir(), "not-empty");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "keep.txt"), "mine");
    const r = salvage(["undelete", fixturePath("deleted_ufs1_le.img.gz"), dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not empty");
  });
});
