// A realistic UFS1 image of deleted text files, for measuring `salvage undelete`
// (scripts/score-undelete.ts) and for the test fixture test/fixtures/undelete/.
//
// Method (the deletion is real FFS allocation, the "delete" is documented and checkable):
//   A = makefs of keep/ (live files) + src/ (the corpus: texts, binary junk, runs of one byte);
//   B = makefs of keep/ alone, same geometry and options;
//   every fragment allocated in A and free in B (TSK `blkls -l`) is copied from A into B.
// B is then the disk as BSD leaves it after `rm -r src`: makefs allocated the files as the
// kernel's ffs_alloc does (full blocks, the last partial block as fragments of a partly used
// block, an indirect block after 12 direct blocks), and deletion freed them without erasing.
// Ground truth: the corpus files' SHA-256 (from the seed), and TSK's `istat` of each file in A
// (its fragments), never salvage's own output.
//   bun scripts/make-undelete-image.ts OUTDIR [--count 300] [--seed 1] [--size 64m] [--order le] [--fill 0] [--junk 0.35]
// (--fill MiB: old random data deleted too, for benchmarks; --junk: junk files per text file; --scale: text sizes × F)
import { closeSync, mkdirSync, openSync, readSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { makeCorpus, sha256hex, type CorpusFile } from "./undelete-corpus.ts";

export interface ManifestFile {
  name: string;
  kind: string;
  encoding: string;
  bytes: number;
  sha256: string;
  scored: boolean;
  inode: number;
  /** Data fragments in A (istat), as [first, last] runs, in file order. */
  fragments: Array<[number, number]>;
  /** Every data fragment is free in the final image (nothing overwrote it). */
  intact: boolean;
}

export interface Manifest {
  count: number;
  seed: number;
  junk: number;
  scale: number;
  order: "le" | "be";
  size: string;
  fsize: number;
  bsize: number;
  files: ManifestFile[];
}

function run(cmd: string[]): string {
  const r = Bun.spawnSync(cmd, { stdin: "ignore", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")}: exit ${r.exitCode}: ${r.stderr}`);
  return r.stdout.toString();
}

function fragmentSet(listing: string, flag: "a" | "f"): Set<number> {
  const out = new Set<number>();
  for (const m of listing.matchAll(/^(\d+)\|([af])$/gm)) if (m[2] === flag) out.add(Number(m[1]));
  return out;
}

/** Data fragments of inode `ino` in file order, from TSK istat (blocks are listed as fragment numbers). */
function istatFragments(img: string, ino: number, fsize: number, bytes: number): number[] {
  const text = run(["istat", "-f", "ufs1", img, String(ino)]);
  const direct = /Direct Blocks:\s*\n([\s\S]*?)(?:\n\S[^\n]*:|\n*$)/.exec(text)?.[1] ?? "";
  const nums = [...direct.matchAll(/\d+/g)].map((m) => Number(m[0]));
  // istat lists every fragment of the file's data in order (8 per full block): keep as many as the size needs.
  return nums.slice(0, Math.ceil(bytes / fsize));
}

function runsOf(frags: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const f of frags) {
    const last = out[out.length - 1];
    if (last && last[1] + 1 === f) last[1] = f;
    else out.push([f, f]);
  }
  return out;
}

export function makeUndeleteImage(dir: string, opts: { count: number; seed: number; size: string; order: "le" | "be"; fill?: number; junk?: number; scale?: number }): { image: string; manifest: Manifest; corpus: CorpusFile[] } {
  const corpus = makeCorpus(opts.count, opts.seed, opts.junk, opts.scale);
  const full = join(dir, "full");
  const kept = join(dir, "kept");
  for (const root of [full, kept]) {
    mkdirSync(join(root, "keep"), { recursive: true });
    // Live files, the same in both images: "keep" sorts before "src", so makefs puts them first in both.
    for (let i = 0; i < 8; i++) writeFileSync(join(root, "keep", `live-${i}.txt`), `live file ${i}\n`.repeat(50 + i * 40));
  }
  mkdirSync(join(full, "src"));
  for (const f of corpus) writeFileSync(join(full, "src", f.name), f.bytes);
  if (opts.fill) {
    // Old binary data filling part of the image (for benchmarks on a big image): deleted too.
    const chunk = new Uint8Array(1 << 20);
    let x = opts.seed | 1;
    const fd = openSync(join(full, "src", "zz-old-data.bin"), "w");
    for (let m = 0; m < opts.fill; m++) {
      for (let i = 0; i < chunk.length; i += 4) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        chunk[i] = x; chunk[i + 1] = x >>> 8; chunk[i + 2] = x >>> 16; chunk[i + 3] = x >>> 24;
      }
      writeSync(fd, chunk);
    }
    closeSync(fd);
  }
  const a = join(dir, "A.img");
  const b = join(dir, "image.img");
  for (const [img, src] of [[a, full], [b, kept]] as const)
    run(["makefs", "-t", "ffs", "-B", opts.order, "-o", "density=16384", "-T", "1700000000", "-s", opts.size, img, src]);
  const stat = run(["fsstat", "-f", "ufs1", a]);
  const fsize = Number(/Fragment Size: (\d+)/.exec(stat)![1]);
  const bsize = Number(/Block Size: (\d+)/.exec(stat)![1]);
  const allocatedA = fragmentSet(run(["blkls", "-a", "-l", "-f", "ufs1", a]), "a");
  const freeB = fragmentSet(run(["blkls", "-l", "-f", "ufs1", b]), "f");
  const fa = openSync(a, "r");
  const fb = openSync(b, "r+");
  const buf = new Uint8Array(fsize);
  for (const f of allocatedA) {
    if (!freeB.has(f)) continue;
    readSync(fa, buf, 0, fsize, f * fsize);
    writeSync(fb, buf, 0, fsize, f * fsize);
  }
  closeSync(fa);
  closeSync(fb);
  const inodes = new Map<string, number>();
  for (const m of run(["fls", "-r", "-f", "ufs1", a]).matchAll(/^\+ r\/r (\d+):\s+(\S+)$/gm)) inodes.set(m[2]!, Number(m[1]));
  const files: ManifestFile[] = corpus.map((f) => {
    const inode = inodes.get(f.name) ?? 0;
    const frags = f.scored && inode ? istatFragments(a, inode, fsize, f.bytes.length) : [];
    return {
      name: f.name, kind: f.kind, encoding: f.encoding, bytes: f.bytes.length, sha256: sha256hex(f.bytes), scored: f.scored,
      inode, fragments: runsOf(frags), intact: frags.every((x) => freeB.has(x)),
    };
  });
  const manifest: Manifest = { count: opts.count, seed: opts.seed, junk: opts.junk ?? 0.35, scale: opts.scale ?? 1, order: opts.order, size: opts.size, fsize, bsize, files };
  return { image: b, manifest, corpus };
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { count: { type: "string", default: "300" }, seed: { type: "string", default: "1" }, size: { type: "string", default: "64m" }, order: { type: "string", default: "le" }, fill: { type: "string", default: "0" }, junk: { type: "string", default: "0.35" }, scale: { type: "string", default: "1" } },
  });
  const out = positionals[0];
  if (!out) throw new Error("usage: bun scripts/make-undelete-image.ts OUTDIR [--count N] [--seed S] [--size 64m] [--order le|be] [--fill MiB] [--junk RATIO] [--scale F]");
  mkdirSync(out, { recursive: true });
  const r = makeUndeleteImage(out, { count: Number(values.count), seed: Number(values.seed), size: values.size!, order: values.order as "le" | "be", fill: Number(values.fill), junk: Number(values.junk), scale: Number(values.scale) });
  writeFileSync(join(out, "manifest.json"), JSON.stringify(r.manifest, null, 1));
  const scored = r.manifest.files.filter((f) => f.scored);
  console.log(`${r.image}: ${scored.length} deleted text files (${scored.filter((f) => f.intact).length} intact), ${r.manifest.files.length - scored.length} junk/legacy files; manifest.json beside it`);
}
