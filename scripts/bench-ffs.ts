// Benchmark: `salvage getfree` vs TSK `blkls` on ≥ 1 GiB makefs UFS1 images that are
// mostly free, in one run, paired and alternated. Prints medians and ratios. Two images:
// "zeroed" (free space as makefs leaves it: zeros, a sparse file) and "old data" (free
// space holding the data of deleted files, the case undelete is for).
//   bun scripts/bench-ffs.ts [--size 1g] [--runs 5] [--bin dist/salvage]
// The image is generated in $TMPDIR (never committed) and removed at the end.
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { size: { type: "string", default: "1g" }, runs: { type: "string", default: "5" }, bin: { type: "string" } } });
const root = resolve(import.meta.dir, "..");
const bin = values.bin ?? (existsSync(join(root, "dist/salvage")) ? join(root, "dist/salvage") : null);
const salvage = bin ? [bin] : ["bun", join(root, "src/main.ts")];
for (const tool of ["makefs", "blkls"]) if (!Bun.which(tool)) throw new Error(`${tool} not installed (Debian packages makefs, sleuthkit)`);

const dir = mkdtempSync(join(tmpdir(), "salvage-bench-ffs-"));
try {
  const content = join(dir, "content");
  mkdirSync(join(content, "src"), { recursive: true });
  for (let i = 0; i < 200; i++) writeFileSync(join(content, "src", `f${i}.txt`), `file ${i}\n`.repeat(100 + i * 10));
  const img = join(dir, "zeroed.img");
  const mk = (out: string, src: string) => {
    const r = Bun.spawnSync(["makefs", "-t", "ffs", "-B", "le", "-o", "density=65536", "-s", values.size!, out, src]);
    if (r.exitCode !== 0) throw new Error(`makefs failed: ${r.stderr}`);
  };
  mk(img, content);
  const dirty = makeOldData(dir, content, mk);
  const sh = (cmd: string) => {
    const t0 = performance.now();
    const r = Bun.spawnSync(["sh", "-c", cmd], { stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`${cmd}: exit ${r.exitCode}: ${r.stderr}`);
    return (performance.now() - t0) / 1000;
  };
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const ours = salvage.map(q).join(" ");
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`images: ${values.size} makefs UFS1, mostly free; salvage = ${salvage.join(" ")}; ${values.runs} paired runs each, page cache warm`);
  for (const [label, image] of [["zeroed", img], ["old data", dirty]] as const) {
    const cases: Array<[string, string, string]> = [
      ["getfree --keep-uniform vs blkls (same bytes)", `${ours} getfree --keep-uniform ${q(image)} > /dev/null 2>&1`, `blkls -f ufs1 ${q(image)} > /dev/null`],
      ["getfree (skips repeated-byte frags) vs blkls", `${ours} getfree ${q(image)} > /dev/null 2>&1`, `blkls -f ufs1 ${q(image)} > /dev/null`],
    ];
    sh(`cat ${q(image)} > /dev/null`);
    for (const [name, a, b] of cases) {
      const ta: number[] = [];
      const tb: number[] = [];
      for (let i = 0; i < Number(values.runs); i++) {
        ta.push(sh(a));
        tb.push(sh(b));
      }
      const ma = median(ta), mb = median(tb);
      console.log(`${label.padEnd(9)} ${name.padEnd(46)} salvage ${ma.toFixed(3)} s  blkls ${mb.toFixed(3)} s  salvage/blkls ${(ma / mb).toFixed(2)}`);
    }
  }
} finally {
  if (process.env.KEEP_BENCH_DIR) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

/** An image whose free space holds a deleted file's data: makefs with a large file (A) and
 *  without it (B, same geometry); A's bytes are copied into B wherever B is not allocated. */
function makeOldData(dir: string, content: string, mk: (out: string, src: string) => void): string {
  const full = join(dir, "full");
  mkdirSync(full);
  Bun.spawnSync(["cp", "-r", content + "/.", full]);
  const chunk = new Uint8Array(1 << 20);
  const big = openSync(join(full, "deleted.log"), "w");
  const total = Math.floor(parseSizeMiB(values.size!) * 0.8);
  for (let m = 0; m < total; m++) {
    const line = new TextEncoder().encode(`old log line of MiB ${m}: the quick brown fox jumps over the lazy dog\n`);
    for (let at = 0; at < chunk.length; at += line.length) chunk.set(line.subarray(0, Math.min(line.length, chunk.length - at)), at);
    writeSync(big, chunk);
  }
  closeSync(big);
  const a = join(dir, "a.img");
  const b = join(dir, "olddata.img");
  mk(a, full);
  mk(b, content);
  const listing = Bun.spawnSync(["blkls", "-a", "-l", "-f", "ufs1", b]).stdout.toString();
  const fsize = fragSize(b);
  const allocated = new Set<number>();
  for (const l of listing.split("\n")) if (/^\d+\|a$/.test(l)) allocated.add(Number(l.split("|")[0]));
  const fa = openSync(a, "r");
  const fb = openSync(b, "r+");
  const frag = new Uint8Array(fsize);
  const frags = Math.floor(parseSizeMiB(values.size!) * 2 ** 20 / fsize);
  for (let f = 0; f < frags; f++) {
    if (allocated.has(f)) continue;
    readSync(fa, frag, 0, fsize, f * fsize);
    writeSync(fb, frag, 0, fsize, f * fsize);
  }
  closeSync(fa);
  closeSync(fb);
  rmSync(a);
  return b;
}

function fragSize(img: string): number {
  return Number(/Fragment Size: (\d+)/.exec(Bun.spawnSync(["fsstat", "-f", "ufs1", img]).stdout.toString())?.[1]);
}

function parseSizeMiB(s: string): number {
  const m = /^(\d+)([mg])$/i.exec(s);
  if (!m) throw new Error(`--size: use e.g. 1g or 1536m`);
  return Number(m[1]) * (m[2]!.toLowerCase() === "g" ? 1024 : 1);
}
