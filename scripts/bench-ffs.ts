// Benchmark: `salvage getfree` vs TSK `blkls` on a ≥ 1 GiB makefs UFS1 image that is
// mostly free, in one run, paired and alternated. Prints medians and ratios.
//   bun scripts/bench-ffs.ts [--size 1g] [--runs 5] [--bin dist/salvage]
// The image is generated in $TMPDIR (never committed) and removed at the end.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
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
  const img = join(dir, "bench.img");
  const mk = Bun.spawnSync(["makefs", "-t", "ffs", "-B", "le", "-s", values.size!, img, content]);
  if (mk.exitCode !== 0) throw new Error(`makefs failed: ${mk.stderr}`);
  const sh = (cmd: string) => {
    const t0 = performance.now();
    const r = Bun.spawnSync(["sh", "-c", cmd], { stderr: "pipe" });
    if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`${cmd}: exit ${r.exitCode}: ${r.stderr}`);
    return (performance.now() - t0) / 1000;
  };
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const ours = salvage.map(q).join(" ");
  const cases: Array<[string, string, string]> = [
    ["getfree --keep-uniform (same bytes as blkls)", `${ours} getfree --keep-uniform ${q(img)} > /dev/null 2>&1`, `blkls -f ufs1 ${q(img)} > /dev/null`],
    ["getfree (skips repeated-byte fragments)", `${ours} getfree ${q(img)} > /dev/null 2>&1`, `blkls -f ufs1 ${q(img)} > /dev/null`],
    ["free-fragment count: ffs info vs blkls -l", `${ours} ffs info ${q(img)} > /dev/null 2>&1`, `blkls -l -f ufs1 ${q(img)} > /dev/null`],
  ];
  // Warm the page cache once so both tools read from memory.
  sh(`cat ${q(img)} > /dev/null`);
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`image: ${values.size} makefs UFS1, mostly free; salvage = ${salvage.join(" ")}; ${values.runs} paired runs each`);
  for (const [name, a, b] of cases) {
    const ta: number[] = [];
    const tb: number[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      ta.push(sh(a));
      tb.push(sh(b));
    }
    const ma = median(ta), mb = median(tb);
    console.log(`${name.padEnd(48)} salvage ${ma.toFixed(3)} s  blkls ${mb.toFixed(3)} s  salvage/blkls ${(ma / mb).toFixed(2)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
