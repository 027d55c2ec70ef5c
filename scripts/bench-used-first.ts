// Benchmark: time until all used data is recovered. `salvage rescue --used-first` against
// plain `salvage rescue` and GNU ddrescue, on filesystems made by the real tools and filled
// to about 30 % with real files (bench-used-first-images.ts), under the simulator, with
// damage scattered (pattern "scattered"), clustered (pattern "areas"), and placed by hand
// inside metadata, used data and free space ("placed"); reads meeting a bad sector fail
// whole (EIO) or stop short. Every read is recorded; the time to 90 / 99 / 100 % of the
// readable used bytes (the used space of the clean image as `salvage map used` finds it)
// is scored with simulate score's --domain code (src/sim/curve.ts). Target of issue 15:
// used-first <= 0.5x plain rescue and ddrescue at 100 % of the used data.
//
//   bun scripts/build.ts && nice bun scripts/bench-used-first.ts [--salvage dist/salvage] [--fs ufs,ext4,fat,ntfs,ext4-aged,..]
//     [--damage scattered,areas,placed] [--behaviours fail,short] [--size 64MiB] [--seed 1[,2,..]] [--fail-time 0.2s]
//     [--keep] [--work DIR] [--images DIR] [--json]
// Several seeds give several disks (file trees) and damage layouts each; --keep leaves the
// images, damage models (JSON) and read records in the work directory (build/bench-used-first,
// or --work: emptied first) for a look. --images DIR keeps the disks there and reuses them on
// the next run: aged disks differ from run to run (kernel writeback), so comparing two builds
// of salvage needs the same disks.
// The -aged filesystems are written through the real drivers over several sessions with
// deletions between them (bench-used-first-aged.ts; needs root and loop devices).
// A filesystem without a parser in this build is rescued as the whole disk (used = all).
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { FileSource } from "../src/io/file-source.ts";
import { findUsedSpace, metadataRanges, toSectors, usedRanges, type DiskUsage } from "../src/fsmap/find.ts";
import { complementRanges, rangeBytes } from "../src/fsmap/ranges.ts";
import { readBytesOf } from "../src/io/source-read-bytes.ts";
import type { ByteRange } from "../src/fsmap/types.ts";
import { computeCurve, type Curve } from "../src/sim/curve.ts";
import { readRecords } from "../src/sim/read-record.ts";
import { parseDuration } from "../src/sim/duration.ts";
import { emptyModel, type DamageExtent, type DamageModel } from "../src/sim/model.ts";
import { makePattern } from "../src/sim/patterns.ts";
import { runSimulated } from "../src/sim/run.ts";
import { parseSize } from "../src/util/units.ts";
import { benchArgs } from "./bench-args.ts";
import { filesystems, makeImage, makeTree, missingTools, type Fs } from "./bench-used-first-images.ts";
import { agedFilesystems, agedSkipReason, isAged, makeAgedImage, ownToolAllocated, spreadOf, type AgedFs } from "./bench-used-first-aged.ts";

const known = ["salvage", "fs", "damage", "behaviours", "size", "seed", "fail-time", "keep", "work", "images", "json"];
const flags = ["keep", "json"];
const { given, opt, salvage } = benchArgs("bench-used-first", known, flags);
const root = resolve(import.meta.dir, "..");
const size = parseSize(opt("size", "64MiB"));
const allFs: string[] = [...filesystems, ...agedFilesystems];
const fss = opt("fs", allFs.join(",")).split(",") as (Fs | AgedFs)[];
for (const fs of fss.filter((f) => !allFs.includes(f))) {
  console.error(`bench-used-first: unknown filesystem '${fs}' (known: ${allFs.join(",")})`);
  process.exit(2);
}
const damages = opt("damage", "scattered,areas,placed").split(",");
const behaviours = opt("behaviours", "fail,short").split(",") as DamageModel["onError"][];
const seeds = opt("seed", "1").split(",").map(Number);
const keep = given.has("keep");
const failNs = parseDuration(opt("fail-time", "0.2s")) ?? 0.2e9;
const json = given.has("json");
const log = json ? () => undefined : (s = "") => console.log(s);
const work = resolve(opt("work", join(root, "build/bench-used-first")));
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// The simulator keeps virtual time, but salvage judges a read slow by the wall clock (a read
// of 50 ms at a tenth of the usual rate): on a loaded machine a descheduled read looks slow and
// pass 1 skips ahead, so two runs of the same cell differed by up to 20x. None of these disks
// has slow areas, so a fixed minimum rate no read can miss takes that noise out of both
// salvage runs and changes nothing else.
const steady = ["--min-read-rate", "1"];
const tools: [string, (i: string, o: string, m: string) => string[]][] = [
  ["used-first", (i, o, m) => [salvage, "rescue", "-q", ...steady, "--used-first", i, o, m]],
  ["salvage", (i, o, m) => [salvage, "rescue", "-q", ...steady, i, o, m]],
  ["ddrescue", (i, o, m) => ["ddrescue", "-q", i, o, m]],
];

const bad = (first: number, count: number): DamageExtent => ({ first, count, kind: "bad", fails: 0, costNs: 0, failCostNs: 0, line: 0 });

/** The byte at fraction f of the bytes of `ranges` (sorted). */
function at(ranges: readonly ByteRange[], f: number): number {
  let left = Math.floor(rangeBytes(ranges) * f);
  for (const r of ranges) {
    if (left < r.length) return r.start + left;
    left -= r.length;
  }
  return ranges.length ? ranges[ranges.length - 1]!.start : 0;
}

/** Bad areas inside metadata (2 x 16 sectors), used data (3 x 256) and free space (3 x 2048). */
function placed(u: DiskUsage, used: ByteRange[]): DamageExtent[] {
  const meta = metadataRanges(u);
  const free = complementRanges(used, 0, u.size);
  const out = [
    ...[0.3, 0.7].map((f) => bad(Math.floor(at(meta, f) / 512), 16)),
    ...[0.25, 0.5, 0.75].map((f) => bad(Math.floor(at(used, f) / 512), 256)),
    ...[0.25, 0.5, 0.75].map((f) => bad(Math.floor(at(free, f) / 512), 2048)),
  ];
  return out.sort((a, b) => a.first - b.first).filter((e, i, all) => i === 0 || e.first >= all[i - 1]!.first + all[i - 1]!.count);
}

const show = (t: number | null) => (t === null ? "never" : t.toFixed(1));
function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

interface Row {
  fs: string;
  seed: number;
  parsed: string;
  usedShare: number;
  /** Share of the used bytes in each eighth of the disk. */
  spread: number[];
  damage: string;
  onError: string;
  badSectors: number;
  curves: Record<string, { t90: number | null; t99: number | null; t100: number | null; total: number }>;
  vsSalvage: number | null;
  vsDdrescue: number | null;
  /** Plain rescue's time to all used data without its reads that touch no used byte, over that
   *  time: what ordering plain rescue's own reads could give at best. */
  orderingBound: number | null;
  pass: boolean;
}

/** Seconds of the reads in `record` that end by `until` and touch no byte of `domain` (sorted pairs). */
function secondsOutside(record: string, domain: [number, number][], until: number): number {
  let ns = 0;
  readRecords(record, (r) => {
    if (r.endNs > until * 1e9) return;
    const end = r.offset + Math.max(1, r.length);
    let lo = 0;
    let hi = domain.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (domain[mid]![1] <= r.offset) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= domain.length || domain[lo]![0] >= end) ns += r.endNs - r.startNs;
  });
  return ns / 1e9;
}
const rows: Row[] = [];
const started = performance.now();
const r2 = (x: number | null) => (x === null ? "n/a" : x.toFixed(2));
log(`bench-used-first: ${salvage}; ${size / 2 ** 20} MiB disks about 30 % used, ${failNs / 1e9} s per failed read; times are virtual seconds until 90/99/100 % of the readable used bytes`);
for (const fs of fss) {
  const lacking = isAged(fs) ? agedSkipReason(fs) : missingTools(fs).map((t) => `${t} not installed`).join(", ") || null;
  if (lacking) {
    log(`\n== ${fs}: skipped, ${lacking} ==`);
    continue;
  }
  for (const seed of seeds) await benchDisk(fs, seed);
}
if (json) console.log(JSON.stringify({ size, failSeconds: failNs / 1e9, rows }, null, 1));
else {
  log(`\nsummary: time to 100 % of the used data, used-first / plain salvage rescue and / ddrescue; the ordering bound (plain rescue's reads that touch used data, over its time)`);
  for (const r of rows) log(`${`${r.fs} ${r.damage} ${r.onError} seed ${r.seed}`.padEnd(32)} ${r2(r.vsSalvage).padStart(6)} ${r2(r.vsDdrescue).padStart(6)} ${r2(r.orderingBound).padStart(6)}  ${r.pass ? "PASS" : "FAIL"}`);
  log(`${rows.filter((r) => r.pass).length} of ${rows.length} cases meet the target; ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

async function benchDisk(fs: Fs | AgedFs, seed: number): Promise<void> {
  const image = join(work, `${fs}-${seed}.img`);
  const saved = given.has("images") ? join(resolve(given.get("images")!), `${fs}-${seed}-${size}.img`) : null;
  if (saved && existsSync(saved)) copyFileSync(saved, image);
  else if (isAged(fs)) makeAgedImage(fs, image, size, Math.floor(size * 0.28), seed);
  else {
    const tree = join(work, `tree-${fs}`);
    const files = makeTree(tree, Math.floor(size * 0.28), seed);
    makeImage(fs, image, size, tree, files);
    rmSync(tree, { recursive: true, force: true });
  }
  if (saved && !existsSync(saved)) (mkdirSync(dirname(saved), { recursive: true }), copyFileSync(image, saved));
  const src = new FileSource(image);
  const u = findUsedSpace(readBytesOf(src), src.size!);
  src.close();
  const used = toSectors(usedRanges(u), 512, size);
  const parsed = u.wholeDisk ? `no parser (${u.notes.join("; ")}): used = whole disk` : u.filesystems.map((f) => f.filesystem).join(", ");
  const usedPairs = used.map((r): [number, number] => [r.start, r.start + r.length]);
  const spread = spreadOf(used, size);
  log(`\n== ${fs}, seed ${seed}: ${parsed}; used ${(100 * rangeBytes(used) / size).toFixed(1)} % in ${used.length} ranges, metadata ${(100 * rangeBytes(metadataRanges(u)) / size).toFixed(2)} % ==`);
  log(`   used bytes by eighth of the disk (%): ${spread.map((x) => (100 * x).toFixed(0)).join(" ")}`);
  const own = ownToolAllocated(fs, image);
  const ours = u.filesystems.reduce((n, f) => n + rangeBytes(f.used), 0);
  if (own) log(`   allocated bytes: ${own.tool} ${own.bytes}, salvage map used ${ours} (${own.bytes === ours ? "equal" : "DIFFERENT"})`);
  for (const damage of damages) {
    const extents = damage === "placed" ? placed(u, used) : makePattern(damage, size / 512, seed);
    for (const onError of behaviours) {
      const model: DamageModel = { ...emptyModel(512), extents, onError, timing: { ...emptyModel(512).timing, failNs } };
      const curves: Curve[] = [];
      let outside = 0;
      const cell = `${fs}-${seed}-${damage}-${onError}`;
      if (keep) writeFileSync(join(work, `${cell}.model.json`), JSON.stringify({ model, used: usedPairs, metadata: metadataRanges(u) }));
      for (const [label, argvFor] of tools) {
        const tag = `${cell}-${label.replace(/\W+/g, "")}`;
        const record = join(work, `${tag}.rec`);
        const r = await runSimulated({ image, damage: model, record, argv: argvFor(image, `${tag}.out`, `${tag}.map`), stdio: "pipe", stdin: "ignore", cwd: work });
        if (r.exitCode > 1) throw new Error(`${label} on ${fs}/${damage}/${onError} exited ${r.exitCode}: ${r.stderr.slice(0, 500)}`);
        const curve = computeCurve(model, record, { label, domain: usedPairs });
        curves.push(curve);
        if (label === "salvage" && curve.t["100"] !== null) outside = secondsOutside(record, usedPairs, curve.t["100"]);
        rmSync(join(work, `${tag}.out`), { force: true });
        if (!keep) rmSync(record, { force: true });
      }
      const [uf, sv, dd] = curves as [Curve, Curve, Curve];
      const row: Row = {
        fs, seed, parsed, usedShare: rangeBytes(used) / size, spread, damage, onError,
        badSectors: extents.filter((e) => e.kind === "bad").reduce((n, e) => n + e.count, 0),
        curves: Object.fromEntries(curves.map((c) => [c.label, { t90: c.t["90"], t99: c.t["99"], t100: c.t["100"], total: c.totalSeconds }])),
        vsSalvage: ratio(uf.t["100"], sv.t["100"]),
        vsDdrescue: ratio(uf.t["100"], dd.t["100"]),
        orderingBound: sv.t["100"] ? ratio(sv.t["100"] - outside, sv.t["100"]) : null,
        pass: false,
      };
      row.pass = row.vsSalvage !== null && row.vsDdrescue !== null && row.vsSalvage <= 0.5 && row.vsDdrescue <= 0.5;
      rows.push(row);
      log(`-- ${damage}, ${onError === "fail" ? "fail-whole" : "short-read"}: ${row.badSectors} bad sectors`);
      for (const c of curves) log(`   ${c.label.padEnd(11)} used t90 ${show(c.t["90"]).padStart(7)}  t99 ${show(c.t["99"]).padStart(7)}  t100 ${show(c.t["100"]).padStart(7)}   whole run ${c.totalSeconds.toFixed(1).padStart(7)} s`);
      log(`   ${row.pass ? "PASS" : "FAIL"} time to all used data: used-first/salvage ${r2(row.vsSalvage)}, used-first/ddrescue ${r2(row.vsDdrescue)} (target <= 0.5); plain rescue's own reads in the best order: ${r2(row.orderingBound)}`);
    }
  }
  if (!keep) rmSync(image, { force: true });
}
