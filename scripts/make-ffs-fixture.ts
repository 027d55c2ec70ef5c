// Build a UFS1 image whose free fragments hold many deleted files of known content,
// with Debian tools only (the reference's §7.2 recipe, scaled up):
//   A = makefs of keep.txt + N text files; B = makefs of keep.txt alone, same geometry;
//   every fragment allocated in A and free in B (per TSK `blkls`) is copied from A into B.
// B is then the on-disk state "N files written, then deleted". Used by test/ffs and:
//   bun scripts/make-ffs-fixture.ts OUTDIR [COUNT=200] [SEED=1] [le|be]
import { mkdirSync, openSync, readSync, writeSync, closeSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface DeletedFile {
  name: string;
  text: string;
}

/** xorshift32: reproducible from the seed (also used by scripts/fuzz-ffs.ts). */
export function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const words = ["salvage", "fragment", "cylinder", "group", "inode", "block", "deleted", "source", "kernel", "buffer", "return", "struct", "while", "printf", "berkeley", "fast", "file", "system"];

/** Unique, recognisable text of about `size` bytes whose length is not a multiple of 512. */
function makeText(name: string, size: number, rand: (n: number) => number): string {
  let s = `/* ${name}: deleted file */\n`;
  while (s.length < size) {
    let line = `${name}:${s.length}:`;
    for (let i = 0, n = 4 + rand(10); i < n; i++) line += " " + words[rand(words.length)];
    s += line + "\n";
  }
  if (s.length % 512 === 0) s += "\n";
  return s;
}

function fragments(listing: string, flag: "a" | "f"): Set<number> {
  const out = new Set<number>();
  for (const line of listing.split("\n")) {
    const m = /^(\d+)\|([af])$/.exec(line);
    if (m && m[2] === flag) out.add(Number(m[1]));
  }
  return out;
}

/** The deleted files' names and texts: reproducible from count and seed alone. */
export function deletedFiles(count: number, seed = 1): DeletedFile[] {
  const rand = rng(seed);
  const files: DeletedFile[] = [];
  for (let i = 0; i < count; i++) {
    const name = `gone-${String(i).padStart(4, "0")}.c`;
    // Mostly small files (≤ 12 direct blocks), some larger ones that need an indirect block.
    const size = rand(10) === 0 ? 100_000 + rand(200_000) : 200 + rand(40_000);
    files.push({ name, text: makeText(name, size, rand) });
  }
  return files;
}

export function makeDeletedImage(dir: string, count: number, seed = 1, order: "le" | "be" = "le"): { image: string; files: DeletedFile[]; copied: number } {
  const full = join(dir, "full");
  const kept = join(dir, "kept");
  // The deleted files sit in a subdirectory that is deleted too: its directory block
  // becomes a free fragment that still lists their names and inode numbers.
  mkdirSync(join(full, "src"), { recursive: true });
  mkdirSync(kept, { recursive: true });
  writeFileSync(join(full, "keep.txt"), "This file stays.\n");
  writeFileSync(join(kept, "keep.txt"), "This file stays.\n");
  const files = deletedFiles(count, seed);
  for (const f of files) writeFileSync(join(full, "src", f.name), f.text);
  const total = files.reduce((s, f) => s + f.text.length, 0);
  const mib = Math.max(8, Math.ceil((total * 1.6) / 2 ** 20) + 4);
  const a = join(dir, "A.img");
  const b = join(dir, "B.img");
  for (const [img, src] of [[a, full], [b, kept]] as const) {
    const r = Bun.spawnSync(["makefs", "-t", "ffs", "-B", order, "-o", "density=8192", "-T", "1700000000", "-s", `${mib}m`, img, src]);
    if (r.exitCode !== 0) throw new Error(`makefs failed: ${r.stderr}`);
  }
  const allocatedA = fragments(Bun.spawnSync(["blkls", "-a", "-l", "-f", "ufs1", a]).stdout.toString(), "a");
  const freeB = fragments(Bun.spawnSync(["blkls", "-l", "-f", "ufs1", b]).stdout.toString(), "f");
  const fsize = 1024; // makefs default for these sizes; both images share it
  const fa = openSync(a, "r");
  const fb = openSync(b, "r+");
  const buf = new Uint8Array(fsize);
  let copied = 0;
  for (const f of allocatedA) {
    if (!freeB.has(f)) continue;
    readSync(fa, buf, 0, fsize, f * fsize);
    writeSync(fb, buf, 0, fsize, f * fsize);
    copied++;
  }
  closeSync(fa);
  closeSync(fb);
  return { image: b, files, copied };
}

if (import.meta.main) {
  const [out, count, seed, order] = process.argv.slice(2);
  if (!out) throw new Error("usage: bun scripts/make-ffs-fixture.ts OUTDIR [COUNT] [SEED] [le|be]");
  const r = makeDeletedImage(out, Number(count ?? 200), Number(seed ?? 1), (order as "le" | "be") ?? "le");
  writeFileSync(join(out, "files.json"), JSON.stringify(r.files.map((f) => ({ name: f.name, bytes: f.text.length }))));
  console.log(`${r.image}: ${r.files.length} deleted files, ${r.copied} fragments of their data left in free space`);
}
