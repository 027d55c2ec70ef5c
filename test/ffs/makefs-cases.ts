// Images built by Debian makefs (and read with TSK) for the FFS tests, recorded by
// scripts/record-oracles.ts so that the tests run without makefs and TSK:
//  - makefs/many-deleted: scripts/make-ffs-fixture.ts's image of 60 deleted files (seed 42)
//    in both byte orders, and TSK's `fls -r` names of those files in the image before deletion;
//  - makefs/deleted-names: a root directory with names removed the way BSD's ufs_dirremove
//    removes them, and TSK's `fls -r -d` of it.
// Images are stored zstd-compressed beside the JSON; the JSON keeps their sha256.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deletedFiles, makeDeletedImage, type DeletedFile } from "../../scripts/make-ffs-fixture.ts";
import { oraclesDir, sha256, type Recipe } from "../helpers/oracle.ts";
import { scratchDir } from "./fixtures.ts";

export type Order = "le" | "be";
const imagesDir = join(oraclesDir, "makefs");

function tool(path: string, args: string[]): string {
  const r = Bun.spawnSync([path, ...args], { stdin: "ignore", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${path} ${args.join(" ")}: exit ${r.exitCode} ${r.stderr}`);
  return r.stdout.toString();
}

/** Store an image (compressed) beside the recordings; what the recording keeps of it. */
function storeImage(path: string, file: string): { file: string; sha256: string } {
  const data = readFileSync(path);
  mkdirSync(imagesDir, { recursive: true });
  writeFileSync(join(imagesDir, file), Bun.zstdCompressSync(data, { level: 19 }));
  return { file, sha256: sha256(data) };
}

/** A stored image unpacked into the scratch directory, checked against its hash. */
export function unpackImage(img: { file: string; sha256: string }): string {
  const data = Bun.zstdDecompressSync(readFileSync(join(imagesDir, img.file)));
  if (sha256(data) !== img.sha256) throw new Error(`${img.file}: sha256 differs from the recording`);
  const p = join(scratchDir(), img.file.replace(/\.zst$/, ""));
  writeFileSync(p, data);
  return p;
}

// ---- many deleted files ----

export interface ManyDeleted {
  image: { file: string; sha256: string };
  /** "gone-0001.c: inode 5" for each deleted file, from `fls -r` of the image before deletion. */
  namesBefore: string[];
}

export const MANY = { count: 60, seed: 42 };

/** `fls -r -f ufs1` lines of the deleted files: "NAME: inode N". */
export function goneNames(fls: string): string[] {
  return [...fls.matchAll(/^\+ r\/r (\d+):\s+(gone-\S+)$/gm)].map((m) => `${m[2]}: inode ${m[1]}`);
}

/** Build the image live (makefs and blkls on PATH), as scripts/make-ffs-fixture.ts does. */
export function buildMany(dir: string, order: Order, fls: string): { image: string; files: DeletedFile[]; namesBefore: string[] } {
  const r = makeDeletedImage(dir, MANY.count, MANY.seed, order);
  return { image: r.image, files: r.files, namesBefore: goneNames(tool(fls, ["-r", "-f", "ufs1", join(dir, "A.img")])) };
}

export const manyDeletedRecipe: Recipe<ManyDeleted> = {
  name: "makefs/many-deleted",
  tools: ["makefs", "blkls", "fls"],
  keys: ["le", "be"],
  run(order, t) {
    const dir = join(scratchDir(), `record-many-${order}`);
    const built = buildMany(dir, order as Order, t.fls!);
    return { image: storeImage(built.image, `many-deleted-${order}.img.zst`), namesBefore: built.namesBefore };
  },
};

/** The recorded image and its deleted files (their texts come from the seed). */
export function recordedMany(rec: ManyDeleted): { image: string; files: DeletedFile[]; namesBefore: string[] } {
  return { image: unpackImage(rec.image), files: deletedFiles(MANY.count, MANY.seed), namesBefore: rec.namesBefore };
}

// ---- deleted names in a directory block ----

export interface Entry { off: number; ino: number; reclen: number; name: string }

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

export interface NamesImage {
  img: string;
  removedSlack: string[];
  removedFirst: Entry;
}

/** makefs a root of 40 files, then remove names from its directory block as BSD does. */
export function buildNamesImage(order: Order, makefs: string, istat: string): NamesImage {
  const dir = join(scratchDir(), `names-${order}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(dir, "root"), { recursive: true });
  for (let i = 1; i <= 40; i++) writeFileSync(join(dir, "root", `file-number-${i}.txt`), `file ${i}\n`);
  const img = join(dir, "t.img");
  tool(makefs, ["-t", "ffs", "-B", order, "-o", "density=8192", "-T", "1700000000", "-s", "4m", img, join(dir, "root")]);
  const rootBlock = Number(/Direct Blocks:\s*\n(\d+)/.exec(tool(istat, ["-f", "ufs1", img, "2"]))![1]);
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

export interface DeletedNames {
  image: { file: string; sha256: string };
  removedSlack: string[];
  removedFirst: Entry;
  /** `fls -r -d -f ufs1` of the edited image, verbatim. */
  fls: string;
}

export const deletedNamesRecipe: Recipe<DeletedNames> = {
  name: "makefs/deleted-names",
  tools: ["makefs", "istat", "fls"],
  keys: ["le", "be"],
  run(order, t) {
    const built = buildNamesImage(order as Order, t.makefs!, t.istat!);
    const fls = tool(t.fls!, ["-r", "-d", "-f", "ufs1", built.img]);
    return { image: storeImage(built.img, `deleted-names-${order}.img.zst`), removedSlack: built.removedSlack, removedFirst: built.removedFirst, fls };
  },
};
