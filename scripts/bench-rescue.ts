// Benchmark: `salvage rescue` against GNU ddrescue on the simulator's damaged disks, in
// one run, same disks, same virtual drive. For each pattern it prints virtual seconds,
// failed reads, the most attempts on any one sector, good bytes missed and wrong bytes,
// for ddrescue (default and -n) and salvage (default and --no-scrape), plus the ratios of
// salvage to ddrescue and to the floor (every good byte read once, in one read per good
// run, plus two failed reads per bad run).
//
// Then, on healthy media (a page-cached random file), wall time of salvage rescue vs
// ddrescue, both with a mapfile (so both flush the image before their last map save),
// median of paired runs.
//
//   bun run build && bun scripts/bench-rescue.ts [--size 64MiB] [--patterns clustered,scattered,mix] [--seed 1] [--healthy 256]
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { makeDisk } from "../src/sim/make.ts";
import type { DamageModel } from "../src/sim/model.ts";
import type { PatternName } from "../src/sim/patterns.ts";
import { runSimulated } from "../src/sim/run.ts";
import { scoreFiles } from "../src/sim/score.ts";

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
const size = Number(opt("size", String(64 << 20)).replace(/MiB$/i, "")) * (/MiB$/i.test(opt("size", "")) ? 1 << 20 : 1);
const patterns = opt("patterns", "clustered,scattered,mix").split(",") as PatternName[];
const seed = Number(opt("seed", "1"));
const root = resolve(import.meta.dir, "..");
const salvage = join(root, "dist/salvage");
const work = join(root, "build/bench-rescue");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

interface Row {
  tool: string;
  virtual: number;
  failed: number;
  maxAttempts: number;
  goodMissed: number;
  wrong: number;
  weakRecovered: number;
}

/** Failed reads and virtual time of the ideal rescue that already knows the damage map. */
function floor(model: DamageModel): { failed: number; seconds: number } {
  const t = model.timing;
  const ss = model.sectorSize;
  const bad = model.extents.filter((e) => e.kind === "bad").sort((a, b) => a.first - b.first);
  let runs = 0;
  let end = -1;
  let badBytes = 0;
  for (const e of bad) {
    if (e.first !== end) runs++;
    end = e.first + e.count;
    badBytes += e.count * ss;
  }
  const goodBytes = size - badBytes;
  const goodRuns = runs + 1;
  const ns = goodRuns * (t.readNs + t.seekNs) + goodBytes * (t.bytePs / 1000) + 2 * runs * (t.readNs + t.failNs + t.seekNs);
  return { failed: 2 * runs, seconds: ns / 1e9 };
}

async function runTool(tool: string, argvFor: (img: string, out: string, map: string) => string[], disk: string, model: DamageModel): Promise<Row> {
  const out = join(work, `${tool}.out`);
  const map = join(work, `${tool}.map`);
  rmSync(out, { force: true });
  rmSync(map, { force: true });
  const r = await runSimulated({ image: disk, damage: model, argv: argvFor(disk, out, map), stdio: "pipe", stdin: "ignore", cwd: work });
  const score = scoreFiles(disk, out, model);
  return {
    tool,
    virtual: r.stats.virtualSeconds,
    failed: r.stats.failedReads,
    maxAttempts: r.stats.attempts.max,
    goodMissed: score.classes.good.missed,
    wrong: score.classes.good.wrong + score.classes.weak.wrong + score.classes.bad.wrong,
    weakRecovered: score.classes.weak.recovered,
  };
}

const fmt = (n: number, w: number, d = 0) => n.toFixed(d).padStart(w);
for (const pattern of patterns) {
  const disk = join(work, `${pattern}.img`);
  const model = makeDisk({ image: disk, damage: `${disk}.damage`, size, pattern, seed, sectorSize: 512 });
  const rows: Row[] = [
    await runTool("ddrescue", (i, o, m) => ["ddrescue", "-q", i, o, m], disk, model),
    await runTool("ddrescue -n", (i, o, m) => ["ddrescue", "-q", "-n", i, o, m], disk, model),
    await runTool("salvage", (i, o, m) => [salvage, "rescue", "-q", i, o, m], disk, model),
    await runTool("salvage --no-scrape", (i, o, m) => [salvage, "rescue", "-q", "--no-scrape", i, o, m], disk, model),
    await runTool("salvage --retries 3", (i, o, m) => [salvage, "rescue", "-q", "--retries", "3", i, o, m], disk, model),
  ];
  const f = floor(model);
  console.log(`\n${pattern} (${size >> 20} MiB, seed ${seed}): ${model.extents.filter((e) => e.kind === "bad").reduce((s, e) => s + e.count, 0)} bad sectors; floor ${f.failed} failed reads, ${f.seconds.toFixed(1)} virtual s`);
  console.log(`${"tool".padEnd(20)} ${"virtual s".padStart(10)} ${"failed".padStart(7)} ${"max att".padStart(7)} ${"good missed".padStart(12)} ${"wrong".padStart(6)} ${"weak ok".padStart(8)}`);
  for (const r of rows) console.log(`${r.tool.padEnd(20)} ${fmt(r.virtual, 10, 1)} ${fmt(r.failed, 7)} ${fmt(r.maxAttempts, 7)} ${fmt(r.goodMissed, 12)} ${fmt(r.wrong, 6)} ${fmt(r.weakRecovered, 8)}`);
  const [dd, ddn, sv, svn] = rows as [Row, Row, Row, Row];
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "n/a");
  console.log(`salvage / ddrescue:            virtual ${ratio(sv.virtual, dd.virtual)}, failed reads ${ratio(sv.failed, dd.failed)}`);
  console.log(`salvage -n / ddrescue -n:      virtual ${ratio(svn.virtual, ddn.virtual)}, failed reads ${ratio(svn.failed, ddn.failed)}`);
  console.log(`salvage / floor:               virtual ${ratio(sv.virtual, f.seconds)}, failed reads ${ratio(sv.failed, f.failed)}`);
  console.log(`salvage --no-scrape / floor:   virtual ${ratio(svn.virtual, f.seconds)}, failed reads ${ratio(svn.failed, f.failed)}`);
}

/** Healthy media: median wall seconds of paired runs, and the median of per-pair ratios. */
function healthy(mib: number, pairs = 5): void {
  if (mib <= 0) return;
  const src = join(work, "healthy.bin");
  Bun.spawnSync(["sh", "-c", `head -c ${mib}M /dev/urandom > ${src} && cat ${src} > /dev/null`]);
  const time = (cmd: string[]): number => {
    rmSync(join(work, "h.out"), { force: true });
    rmSync(join(work, "h.map"), { force: true });
    const t0 = performance.now();
    Bun.spawnSync(cmd, { cwd: work, stdin: "ignore" });
    return (performance.now() - t0) / 1000;
  };
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const x = time([salvage, "rescue", "-q", src, "h.out", "h.map"]);
    const y = time(["ddrescue", "-q", src, "h.out", "h.map"]);
    a.push(x);
    b.push(y);
    ratios.push(x / y);
  }
  const med = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)]!;
  console.log(`\nhealthy ${mib} MiB file (page cache), ${pairs} paired runs: salvage ${med(a).toFixed(2)} s, ddrescue ${med(b).toFixed(2)} s, salvage/ddrescue ${med(ratios).toFixed(2)}`);
  rmSync(src, { force: true });
}

healthy(Number(opt("healthy", "256")));
