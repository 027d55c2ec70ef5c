// Benchmark: time to data. `salvage rescue` (defaults) against GNU ddrescue (default, -n,
// -r3) on every failure model of the simulator, with both source behaviours (a read meeting
// a bad sector fails whole with EIO, or stops short before it), in one run, on the same
// disks. Every read is recorded with its virtual time (simulate --record) and scored
// (src/sim/curve.ts): virtual seconds to 90 / 99 / 99.9 / 100 % of the readable bytes,
// error reads (before 100 % and in all), total time, readable bytes recovered within a
// budget, the curve points, the ratios salvage/ddrescue, and a PASS/FAIL line per target
// of issue 10. Then, on healthy media, salvage rescue against `dd bs=1M conv=fdatasync`.
//
// Timing: the simulator's default disk (docs/simulate.md) with 0.2 s per failed read
// (override with --fail-time); seek 8 ms, 150 MB/s. Every run has the simulator's virtual
// clock (--virtual-clock): the tools' clocks include the time their reads cost.
//
//   bun scripts/build.ts && bun scripts/bench-rescue.ts [--salvage dist/salvage] [--models areas,head,weak:k=2]
//     [--seeds 1,2] [--size 64MiB] [--behaviours fail,short] [--budget 60s] [--fail-time 0.2s]
//     [--healthy 256] [--healthy-dir DIR] [--memory 64GiB:1000000 [--memory-limit 300]] [--svg] [--points] [--rss] [--json] [--keep]
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { computeCurve, type Curve, type Milestone } from "../src/sim/curve.ts";
import { curvesToSvg } from "../src/sim/curve-svg.ts";
import { formatCurves } from "../src/sim/curve-table.ts";
import { parseDuration } from "../src/sim/duration.ts";
import { makeDisk } from "../src/sim/make.ts";
import type { DamageModel } from "../src/sim/model.ts";
import { runSimulated } from "../src/sim/run.ts";
import { parseSize } from "../src/util/units.ts";
import { healthyCopy } from "./bench-rescue-healthy.ts";
import { memoryProbe } from "./bench-rescue-memory.ts";
import { benchArgs } from "./bench-args.ts";
import { checkTargets, type Case, type Verdict } from "./bench-rescue-targets.ts";

const known = ["salvage", "models", "seeds", "size", "behaviours", "budget", "fail-time", "healthy", "healthy-dir", "memory", "memory-limit", "svg", "points", "rss", "json", "keep"];
const flagsOnly = ["svg", "points", "rss", "json", "keep"];
const { given, opt, salvage } = benchArgs("bench-rescue", known, flagsOnly);
const root = resolve(import.meta.dir, "..");
const size = parseSize(opt("size", "64MiB"));
const models = opt("models", "areas,head,islands,mixed,scattered,scratch,weak:k=2").split(",").filter(Boolean);
const seeds = opt("seeds", "1").split(",").map(Number);
const behaviours = opt("behaviours", "fail,short").split(",") as DamageModel["onError"][];
if (seeds.some((x) => !Number.isSafeInteger(x)) || behaviours.some((b) => b !== "fail" && b !== "short")) {
  console.error("bench-rescue: --seeds takes integers (1,2,3), --behaviours fail and/or short (fail,short)");
  process.exit(2);
}
const budget = (parseDuration(opt("budget", "60s")) ?? 60e9) / 1e9;
const failNs = parseDuration(opt("fail-time", "0.2s")) ?? 0.2e9;
const json = given.has("json");
const log = json ? () => undefined : (s = "") => console.log(s);
const work = join(root, "build/bench-rescue");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

/** The runs compared on every disk: label -> argv (image, output, mapfile). */
const tools: [string, (i: string, o: string, m: string) => string[]][] = [
  ["ddrescue", (i, o, m) => ["ddrescue", "-q", i, o, m]],
  ["ddrescue -n", (i, o, m) => ["ddrescue", "-q", "-n", i, o, m]],
  ["ddrescue -r3", (i, o, m) => ["ddrescue", "-q", "-r3", i, o, m]],
  ["salvage", (i, o, m) => [salvage, "rescue", "-q", i, o, m]],
];

/** "weak:k=2;count=10" -> ["weak", { k: "2", count: "10" }]. */
function modelSpec(spec: string): [string, Record<string, string>] {
  const [name, rest] = spec.split(":") as [string, string | undefined];
  return [name, Object.fromEntries((rest ? rest.split(";") : []).map((kv) => kv.split("=") as [string, string]))];
}

const cases: (Case & { rss: Record<string, number | null> })[] = [];
const started = performance.now();
log(`bench-rescue: ${salvage}; ${size / 2 ** 20} MiB disks, 512-byte sectors, 0.05 ms per read, 150 MB/s, seek 8 ms, ${failNs / 1e9} s per failed read; budget ${budget} s`);
for (const spec of models) {
  const [pattern, params] = modelSpec(spec);
  for (const seed of seeds) {
    const disk = `${spec.replace(/\W+/g, "_")}-${seed}`;
    const image = join(work, `${disk}.img`);
    const base = makeDisk({ image, damage: `${image}.damage`, size, pattern, seed, sectorSize: 512, params, timing: { failNs } });
    const bad = base.extents.filter((e) => e.kind === "bad").reduce((n, e) => n + e.count, 0);
    const weak = base.extents.filter((e) => e.kind === "weak").reduce((n, e) => n + e.count, 0);
    const weakFails = base.extents.filter((e) => e.kind === "weak").reduce((n, e) => n + e.count * e.fails, 0);
    for (const onError of behaviours) {
      const model: DamageModel = { ...base, onError };
      const name = `${spec} ${onError === "fail" ? "fail-whole" : "short-read"} seed ${seed}`;
      const curves: Curve[] = [];
      const rss: Record<string, number | null> = {};
      for (const [label, argvFor] of tools) {
        const tag = `${disk}-${onError}-${label.replace(/\W+/g, "")}`;
        const record = join(work, `${tag}.rec`);
        // GNU time reports the peak RSS of the process it runs (a spawn from this process
        // would carry Bun's own high-water mark across exec)
        const timed = given.has("rss") ? ["/usr/bin/time", "-f", "bench-rescue-rss %M"] : [];
        // Every tool's clock runs with the drive's virtual time (as on a real drive, where a
        // slow or failing read takes its time): a tool that times its reads sees slow areas.
        const r = await runSimulated({ image, damage: model, record, virtualClock: true, argv: [...timed, ...argvFor(image, `${tag}.out`, `${tag}.map`)], stdio: "pipe", stdin: "ignore", cwd: work });
        if (r.exitCode > 1) throw new Error(`${label} on ${name} exited ${r.exitCode}: ${r.stderr.slice(0, 500)}`);
        curves.push(computeCurve(model, record, { label, budgetSeconds: budget }));
        const kib = /bench-rescue-rss (\d+)/.exec(r.stderr)?.[1];
        rss[label] = kib ? Number(kib) * 1024 : null;
        if (!given.has("keep")) rmSync(join(work, `${tag}.out`), { force: true });
      }
      const c: Case = { name, pattern, onError, seed, badSectors: bad, weakSectors: weak, weakFails, curves };
      cases.push({ ...c, rss });
      log(`\n== ${name}: ${bad} bad, ${weak} weak sectors ==`);
      log(formatCurves(curves, given.has("points")).trimEnd());
      log(ratioLine(curves));
      if (given.has("rss")) log(`peak RSS: ${Object.entries(rss).map(([k, v]) => `${k} ${v === null ? "?" : `${(v / 2 ** 20).toFixed(0)} MiB`}`).join(", ")}`);
      for (const v of checkTargets(c)) log(`${v.pass ? "PASS" : "FAIL"} ${v.target}: ${v.detail}`);
      if (given.has("svg")) await Bun.write(join(work, `${disk}-${onError}.svg`), curvesToSvg(curves, { title: name, budgetSeconds: budget }));
    }
    if (!given.has("keep")) rmSync(image, { force: true });
  }
}

/** a / b, where null is "never" (infinitely late). */
function ratio(a: number | null, b: number | null): string {
  if (a === null || b === null) return a === b ? "both never" : a === null ? "inf" : "0";
  return b > 0 ? (a / b).toFixed(2) : a > 0 ? "inf" : "1.00";
}

function ratioLine(curves: Curve[]): string {
  const dd = curves[0]!;
  const sv = curves[curves.length - 1]!;
  const ms: Milestone[] = ["90", "99", "99.9", "100"];
  return `salvage/ddrescue: ${ms.map((k) => `t${k} ${ratio(sv.t[k], dd.t[k])}`).join(", ")}, error reads ${ratio(sv.errorReads, dd.errorReads)}, total ${ratio(sv.totalSeconds, dd.totalSeconds)}`;
}

const healthyMiB = Number(opt("healthy", "256"));
const healthyDir = given.has("healthy-dir") ? join(resolve(opt("healthy-dir", "")), `bench-rescue-${process.pid}`) : work;
const healthy = healthyMiB > 0 ? healthyCopy(salvage, healthyDir, healthyMiB) : null;
if (healthyDir !== work) rmSync(healthyDir, { recursive: true, force: true });
// optional: peak RSS on a huge disk with very many bad areas (SIZE:AREAS), stopped after a real-time limit
const [memSize, memAreas] = given.has("memory") ? opt("memory", "").split(":") : [];
const memory = memSize ? await memoryProbe(salvage, work, parseSize(memSize), Number(memAreas ?? 1_000_000), Number(opt("memory-limit", "300"))) : null;
const verdicts: Verdict[] = cases.flatMap((c) => checkTargets(c).map((v) => ({ ...v, target: `${c.name}: ${v.target}` })));
if (memory) {
  const mib = (n: number | null) => (n === null ? "?" : `${(n / 2 ** 20).toFixed(0)} MiB`);
  const detail = `peak RSS ${mib(memory.peakRss)} (of which up to ${mib(memory.simulatorState)} is the simulator's state), ${memory.badAreas} bad areas, ${memory.stopped ? `stopped after ${memory.realSeconds.toFixed(0)} s with ${(100 * memory.readShare).toFixed(1)} % read` : `finished in ${memory.realSeconds.toFixed(0)} s`}`;
  const over = memory.peakRss !== null && memory.peakRss > 256 * 2 ** 20;
  verdicts.push({ target: `memory on ${memSize} with ${memAreas ?? 1_000_000} bad areas <= 256 MiB RSS${memory.stopped && !over ? " (INCOMPLETE: the limit stopped it)" : ""}`, pass: !over && !memory.stopped, detail });
}
if (healthy) verdicts.push({ target: "healthy copy <= 1.05x dd bs=1M conv=fdatasync", pass: healthy.ratio <= 1.05, detail: `${healthy.ratio.toFixed(3)}x` });
if (json) {
  const strip = (c: Curve) => (given.has("points") ? c : { ...c, points: undefined });
  console.log(JSON.stringify({ size, failSeconds: failNs / 1e9, budget, cases: cases.map((c) => ({ ...c, curves: c.curves.map(strip) })), healthy, memory, verdicts }, null, 1));
} else {
  if (healthy)
    log(`\nhealthy ${healthyMiB} MiB file (page cache), ${healthy.pairs} paired runs: salvage ${healthy.salvage.toFixed(3)} s, dd bs=1M conv=fdatasync ${healthy.dd.toFixed(3)} s, salvage/dd ${healthy.ratio.toFixed(3)} (median of per-pair ratios; pairs ${healthy.runs.map(([x, y]) => `${x.toFixed(2)}/${y.toFixed(2)}`).join(" ")})`);
  const mem = verdicts.find((v) => v.target.startsWith("memory"));
  if (mem) log(`\n${mem.target}: ${mem.detail}`);
  if (cases.length > 0) {
    log(`\nsummary: salvage / ddrescue (default)`);
    const head = ["case", "t90", "t99", "t99.9", "t100", "err reads", "total", "targets"];
    const rows = cases.map((c) => {
      const [dd, sv] = [c.curves[0]!, c.curves[c.curves.length - 1]!];
      const v = checkTargets(c);
      const ms: Milestone[] = ["90", "99", "99.9", "100"];
      return [c.name, ...ms.map((k) => ratio(sv.t[k], dd.t[k])), ratio(sv.errorReads, dd.errorReads), ratio(sv.totalSeconds, dd.totalSeconds), `${v.filter((x) => x.pass).length}/${v.length}`];
    });
    const width = Math.max(...[head, ...rows].map((r) => r[0]!.length));
    for (const r of [head, ...rows]) log(r[0]!.padEnd(width) + r.slice(1).map((x) => x.padStart(11)).join(""));
  }
  const failed = verdicts.filter((v) => !v.pass);
  log(`\n${verdicts.length - failed.length} of ${verdicts.length} target checks pass; ${((performance.now() - started) / 1000).toFixed(0)} s`);
  for (const v of failed) log(`FAIL ${v.target}: ${v.detail}`);
}
