// The four commands as a user runs them: --help, argument errors as one line with exit 2,
// --utf8, cylinder-group selection and the text summary.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixturePath, noTsk, run, salvage, scratchDir, write } from "./fixtures.ts";
import { digest, loadOracle, recorded } from "../helpers/oracle.ts";
import { peer } from "../helpers/needs.ts";
import { fromRanges, listedFree, paddedImage, paddedKey, tskRecipe } from "./tsk-cases.ts";

const recording = loadOracle<string>(tskRecipe.name);
const tsk = (key: string) => recorded(recording, tskRecipe.name, key);

describe("ffs commands", () => {
  for (const cmd of [["ffs", "info"], ["getfree"], ["textpieces"], ["undelete"]]) {
    test(`${cmd.join(" ")} --help`, () => {
      const r = salvage([...cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(new TextDecoder().decode(r.stdout)).toContain("USAGE");
    });
  }

  test("bad input is one line and exit 2, never a stack trace", () => {
    const junk = write(join(scratchDir(), "junk.img"), new Uint8Array(300000).fill(7));
    for (const args of [["getfree", junk], ["ffs", "info", junk], ["undelete", junk, join(scratchDir(), "o")], ["textpieces", "x"], ["textpieces", "x", "--fsize", "1000"], ["getfree", junk, "--since", "yesterday-ish"], ["getfree", junk, "x1"]]) {
      const r = salvage(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n").filter((l) => l.startsWith("salvage:")).length).toBe(1);
      expect(r.stderr).not.toContain("    at ");
    }
  });

  test("textpieces --utf8 keeps UTF-8 text that the classic rule rejects", () => {
    const fsize = 512;
    const text = "Grüße aus Köln — naïve café, 日本語のテキスト.\n".repeat(20);
    const bytes = new TextEncoder().encode(text);
    const stream = new Uint8Array(Math.ceil((bytes.length + 1) / fsize) * fsize + fsize);
    stream.set(bytes);
    stream.fill(0xff, stream.length - fsize); // a binary fragment after the file
    const input = write(join(scratchDir(), "utf8.bin"), stream);
    const classic = salvage(["textpieces", join(scratchDir(), "c-"), "--fsize", String(fsize), "--input", input]);
    expect(classic.code).toBe(0);
    expect(new TextDecoder().decode(classic.stdout)).not.toContain("complete");
    const utf8 = salvage(["textpieces", join(scratchDir(), "u-"), "--fsize", String(fsize), "--input", input, "--utf8"]);
    expect(new TextDecoder().decode(utf8.stdout)).toContain("u-0001: complete");
    expect(readFileSync(join(scratchDir(), "u-0001"), "utf8")).toBe(text);
  });

  test("--separator marks the joins between fragments", () => {
    const stream = new Uint8Array(1024);
    stream.fill(0x61, 0, 512);
    stream.fill(0x62, 512, 700);
    const input = write(join(scratchDir(), "sep.bin"), stream);
    salvage(["textpieces", join(scratchDir(), "s-"), "--fsize", "512", "--input", input, "--separator", "\\n--\\n"]);
    expect(readFileSync(join(scratchDir(), "s-0001"), "latin1")).toBe("a".repeat(512) + "\n--\n" + "b".repeat(188));
  });
});

describe("cylinder-group selection against blkls -l", () => {
  test("getfree --keep-uniform FS 1 3 = the blkls fragments of groups 1 and 3", () => {
    const img = fixturePath("ffs.bin.gz");
    const fpg = 328, fsize = 4096;
    const ours = salvage(["getfree", "--keep-uniform", img, "3", "1", "--index", join(scratchDir(), "sel.index")]);
    expect(ours.code).toBe(0);
    const all = fromRanges(tsk("blkls -l ffs.bin.gz"));
    if (!noTsk) expect(listedFree(run([peer("blkls")!, "-l", "-f", "ufs2", img]).text)).toEqual(all);
    const frags = all.filter((f) => [1, 3].includes(Math.floor(f / fpg)));
    expect(frags.length).toBeGreaterThan(0);
    expect(ours.stdout.length).toBe(frags.length * fsize);
    const image = readFileSync(img);
    frags.forEach((f, i) => expect(Buffer.compare(Buffer.from(ours.stdout.subarray(i * fsize, (i + 1) * fsize)), image.subarray(f * fsize, (f + 1) * fsize))).toBe(0));
  });

  test("--offset reads a filesystem inside a larger image (partition start), blkls -o agrees", () => {
    const p = paddedImage();
    const ours = salvage(["getfree", "--keep-uniform", "--offset", "1MiB", p]);
    expect(ours.code).toBe(0);
    expect(digest(ours.stdout)).toBe(tsk(paddedKey));
    if (noTsk) return;
    const theirs = run([peer("blkls")!, "-f", "ufs1", "-o", String((1 << 20) / 512), p]);
    expect(ours.stdout.length).toBe(theirs.stdout.length);
    expect(Buffer.compare(Buffer.from(ours.stdout), Buffer.from(theirs.stdout))).toBe(0);
  });

  test("a destroyed primary superblock: `ffs superblocks` finds the backups at cgsblock(c), --superblock uses one", () => {
    const img = fixturePath("ufs-big.img.zst");
    const data = new Uint8Array(readFileSync(img));
    data.fill(0, 65536, 65536 + 8192);
    const broken = write(join(scratchDir(), "nosb-big.img"), data);
    const info = salvage(["ffs", "info", broken]);
    expect(info.code).toBe(2);
    expect(info.stderr).toContain("ffs superblocks");
    const list = new TextDecoder().decode(salvage(["ffs", "superblocks", broken]).stdout);
    const offsets = [...list.matchAll(/^byte (\d+): UFS2 big-endian, 4 cylinder groups/gm)].map((m) => Number(m[1]));
    // fsstat: fpg 264, fsize 4096; the backup sits sblkno (24) fragments into each group.
    expect(offsets).toEqual([0, 1, 2, 3].map((c) => (c * 264 + 24) * 4096));
    const ours = salvage(["getfree", "--keep-uniform", "--superblock", String(offsets[1]), broken]);
    expect(ours.code).toBe(0);
    expect(digest(ours.stdout)).toBe(tsk("blkls ufs-big.img.zst"));
    if (noTsk) return;
    const theirs = run([peer("blkls")!, "-f", "ufs2", img]);
    expect(Buffer.compare(Buffer.from(ours.stdout), Buffer.from(theirs.stdout))).toBe(0);
  });
});

describe("ffs info text", () => {
  test("ffs info text names the variant, byte order and every group", () => {
    const r = salvage(["ffs", "info", fixturePath("ufs-big.img.zst")]);
    const text = new TextDecoder().decode(r.stdout);
    expect(r.code).toBe(0);
    expect(text).toMatch(/variant:\s+UFS2, big-endian/);
    expect(text).toMatch(/superblock at:\s+byte 65536/);
    expect(text.split("\n").filter((l) => /^\s+\d+\s+20\d\d-/.test(l)).length).toBe(4);
  });
});
