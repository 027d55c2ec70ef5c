// Benchmark and score of `salvage undelete` on a generated 1 GiB UFS1 image
// (scripts/make-undelete-image.ts: 300 deleted texts next to junk, 400 MiB of old random data):
// wall time of `getfree > /dev/null`, `undelete` and `undelete --ascii` against
// `cat IMAGE > /dev/null`, page cache warm, paired runs, medians; then whole files by SHA-256.
//   bun scripts/bench-undelete.ts [--dir DIR (reuse an image made before)] [--runs 5] [--bin dist/salvage]
//                                 [--out DIR (undelete's output there, e.g. a tmpfs: file creation and
//                                  syncfs of the image's filesystem left out; default: beside the image)]
// The image is made in $TMPDIR and removed at the end unless --dir is given.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { makeUndeleteImage } from "./make-undelete-image.ts";
import { corpusOf, readPieces, score, scoreLine } from "./score-undelete.ts";

const { values } = parseArgs({ options: { dir: { type: "string" }, runs: { type: "string", default: "5" }, bin: { type: "string" }, out: { type: "string" } } });
const root = resolve(import.meta.dir, "..");
const bin = values.bin ?? join(root, "dist/salvage");
if (!existsSync(bin)) throw new Error(`${bin} missing: run bun scripts/build.ts first`);
const own = !values.dir;
const dir = values.dir ?? mkdtempSync(join(tmpdir(), "salvage-bench-undelete-"));
try {
  if (!existsSync(join(dir, "image.img"))) {
    const r = makeUndeleteImage(dir, { count: 300, seed: 1, size: "1g", order: "le", fill: 400 });
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(r.manifest));
    rmSync(join(dir, "A.img"));
    rmSync(join(dir, "full"), { recursive: true });
  }
  const img = join(dir, "image.img");
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const sh = (cmd: string) => {
    // Output of the previous run is removed first, outside the timing.
    for (const o of ["o", "a"]) if (cmd.includes(q(out(o)))) rmSync(out(o), { recursive: true, force: true });
    const t0 = performance.now();
    const r = Bun.spawnSync(["sh", "-c", cmd], { stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`${cmd}: exit ${r.exitCode}: ${r.stderr}`);
    return (performance.now() - t0) / 1000;
  };
  const out = (name: string) => join(values.out ?? dir, name);
  const cases: Array<[string, string]> = [
    ["cat > /dev/null", `cat ${q(img)} > /dev/null`],
    ["getfree > /dev/null", `${q(bin)} getfree ${q(img)} > /dev/null 2>&1`],
    ["undelete", `${q(bin)} undelete ${q(img)} ${q(out("o"))} 2>/dev/null`],
    ["undelete --ascii", `${q(bin)} undelete --ascii ${q(img)} ${q(out("a"))} 2>/dev/null`],
  ];
  sh(cases[0]![1]);
  const times = cases.map(() => [] as number[]);
  for (let i = 0; i < Number(values.runs); i++) cases.forEach(([, cmd], k) => times[k]!.push(sh(cmd)));
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const cat = median(times[0]!);
  console.log(`1 GiB UFS1 image, ${values.runs} runs each, page cache warm; medians:`);
  cases.forEach(([name], k) => console.log(`  ${name.padEnd(22)} ${median(times[k]!).toFixed(3)} s  ${(median(times[k]!) / cat).toFixed(2)}× cat`));
  const m = JSON.parse(await Bun.file(join(dir, "manifest.json")).text());
  const corpus = corpusOf(m);
  console.log(`  undelete:         ${scoreLine(score(readPieces(out("o")), corpus, m))}`);
  console.log(`  undelete --ascii: ${scoreLine(score(readPieces(out("a")), corpus, m))}`);
} finally {
  for (const o of ["o", "a"]) rmSync(join(values.out ?? dir, o), { recursive: true, force: true });
  if (own) rmSync(dir, { recursive: true, force: true });
}
