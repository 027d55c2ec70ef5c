// Benchmark: rescue maps with many bad areas. A sparse image (64 GiB by default) under the
// simulator with N bad areas of 1-8 sectors; `salvage rescue -n --sparse` and
// `ddrescue -n --sparse` in the same run, on the same disk: wall time and peak RSS
// (/usr/bin/time inside the simulator), then the resume of the finished map (load, nothing
// left to do, final save) the same way. For salvage also, in this process: the time to
// load the map and the longest step a background save takes between two reads
// (`save step`: CPU time, and wall time, which a loaded machine inflates), with a whole-map
// save done in one go for comparison (`inline save`).
// A row with a 16 TiB device and the same areas (rescue domain: the first 64 GiB) shows
// that memory follows the map, not the device. Memory growth per extent is printed as
// a figure: (peak RSS at the most areas - at the fewest) / (map lines difference).
//
// Two more figures: resuming a finished map of --resume-lines lines (written here, as
// ddrescue writes it: load, nothing left to do, final save), and a clean image rescued
// through a --domain map of --domain-ranges ranges.
//
// And safecopy mode on many bad sectors: --copy-sectors single bad sectors on a sparse
// --copy-gib image, `salvage copy -o LIST IMG /dev/null` against `safecopy` (default options),
// wall and CPU time, CPU per failed read, and whether the bad-block lists are identical.
//
//   bun run build && bun scripts/bench-scale.ts [--areas 1000,10000,100000] [--size-gib 64] [--tib16 100000]
//       [--resume-lines 3000000] [--domain-ranges 100000] [--domain-gib 8]
//       [--copy-sectors 500000] [--copy-gib 16] [--no-ddrescue]
//   bigger: --areas 1000,100000,1000000 (ddrescue takes ~15 min at 1 M), --areas 3000000
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { systemTool } from "../src/util/system-tool.ts";
import { join, resolve } from "node:path";
import { MapSaver } from "../src/cli/rescue/map-saver.ts";
import { writeEncodedAtomically } from "../src/cli/rescue/map-store.ts";
import { loadMapFile } from "../src/formats/mapfile-load.ts";
import { MapfileEncoder } from "../src/formats/mapfile-write.ts";
import { runSimulated } from "../src/sim/run.ts";

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
const areasList = opt("areas", "1000,10000,100000").split(",").map(Number);
const sizeGiB = Number(opt("size-gib", "64"));
const tib16 = Number(opt("tib16", String(areasList[areasList.length - 1])));
const withDdrescue = !argv.includes("--no-ddrescue") && !!systemTool("ddrescue");
const root = resolve(import.meta.dir, "..");
const salvage = join(root, "dist/salvage");
// tmpfs when there is one: ext4 cannot seek a file to 16 TiB (the simulated device's end);
// the image and outputs are sparse and all-zero, so they take no memory there.
const work = existsSync("/dev/shm") ? `/dev/shm/salvage-bench-scale-${process.pid}` : join(root, "build/bench-scale");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
if (!existsSync(salvage)) throw new Error("build first: bun scripts/build.ts");

const GiB = 2 ** 30;
const image = join(work, "disk.img");
writeFileSync(image, "");
Bun.spawnSync(["truncate", "-s", String(sizeGiB * GiB), image]);

/** N bad areas of 1-8 sectors, one per stretch of the disk, deterministic. */
function damageFile(areas: number, deviceBytes: number, spreadBytes: number): string {
  const sectors = spreadBytes / 512;
  const stride = Math.floor(sectors / areas);
  let x = 12345;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x / 2 ** 32);
  const lines = ["salvage-damage 1", "sector-size 512", `size ${deviceBytes / GiB}G`, "timing fail 0", "timing seek 0"];
  for (let k = 0; k < areas; k++) {
    const len = 1 + Math.floor(rnd() * 8);
    const first = k * stride + Math.floor(rnd() * (stride - len - 1));
    lines.push(len === 1 ? `bad ${first}` : `bad ${first}-${first + len - 1}`);
  }
  return lines.join("\n") + "\n";
}

interface Run {
  wall: number;
  rssMiB: number;
  lines: number;
}

/** Run argv under the simulator with /usr/bin/time; returns wall s and peak RSS. */
async function timed(damage: string, cmd: string[], map: string): Promise<Run> {
  const timeFile = join(work, "time.txt");
  const r = await runSimulated({ image, damage, maxDamageLines: 4_000_000, argv: ["/usr/bin/time", "-f", "%e %M", "-o", timeFile, ...cmd], stdio: "pipe", stdin: "ignore", cwd: work });
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`${cmd.join(" ")}: exit ${r.exitCode}\n${r.stderr}`);
  const [wall, kb] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number) as [number, number];
  const lines = readFileSync(map, "latin1").split("\n").filter((l) => /^0x/.test(l)).length - 1;
  return { wall, rssMiB: kb / 1024, lines };
}

/** In-process: map load time, and the longest save step (background save) vs a whole inline save. */
async function saveFigures(map: string): Promise<{ loadS: number; stepMs: number; stepCpuMs: number; steps: number; inlineMs: number }> {
  const t0 = performance.now();
  const { current, map: m } = loadMapFile(map);
  const loadS = (performance.now() - t0) / 1000;
  const target = join(work, "saved.map");
  const saver = new MapSaver({ mapPath: target, backgroundTarget: null, intervalMs: 1, syncImage: () => {}, header: () => ({ program: "bench", commandLine: "bench", startTime: new Date(), message: "m" }) });
  rmSync(target, { force: true });
  await Bun.sleep(2);
  let stepMs = 0;
  let stepCpuMs = 0;
  let steps = 0;
  while (!existsSync(target)) {
    const t = performance.now();
    const c = process.cpuUsage();
    saver.tick(current, m);
    const d = process.cpuUsage(c);
    stepMs = Math.max(stepMs, performance.now() - t);
    stepCpuMs = Math.max(stepCpuMs, (d.user + d.system) / 1000);
    steps++;
    await Bun.sleep(0); // the rescue reads here; the fsync runs on a worker thread meanwhile
  }
  const t1 = performance.now();
  writeEncodedAtomically(target, new MapfileEncoder(m, current));
  return { loadS, stepMs, stepCpuMs, steps, inlineMs: performance.now() - t1 };
}

interface Row {
  label: string;
  areas: number;
  sv: Run;
  svResume: Run;
  dd?: Run;
  ddResume?: Run;
  save: Awaited<ReturnType<typeof saveFigures>>;
}

async function scenario(areas: number, deviceGiB: number): Promise<Row> {
  const damage = join(work, "disk.damage");
  writeFileSync(damage, damageFile(areas, deviceGiB * GiB, sizeGiB * GiB));
  const domainArgs: string[] = [];
  if (deviceGiB > sizeGiB) {
    const dom = join(work, "domain.map");
    const hex = (n: number) => `0x${n.toString(16).toUpperCase()}`;
    writeFileSync(dom, `0 + 1\n0 ${hex(sizeGiB * GiB)} +\n${hex(sizeGiB * GiB)} ${hex((deviceGiB - sizeGiB) * GiB)} ?\n`);
    domainArgs.push("-m", dom);
  }
  const run = async (tool: string, cmd: (out: string, map: string) => string[]): Promise<[Run, Run]> => {
    const out = join(work, `${tool}.out`);
    const map = join(work, `${tool}.map`);
    rmSync(out, { force: true });
    rmSync(map, { force: true });
    const first = await timed(damage, cmd(out, map), map);
    const resume = await timed(damage, cmd(out, map), map);
    return [first, resume];
  };
  const [sv, svResume] = await run("salvage", (o, m) => [salvage, "rescue", "-q", "-n", "--sparse", ...domainArgs, image, o, m]);
  const save = await saveFigures(join(work, "salvage.map"));
  let dd: Run | undefined;
  let ddResume: Run | undefined;
  if (withDdrescue) [dd, ddResume] = await run("ddrescue", (o, m) => ["ddrescue", "-q", "-n", "--sparse", ...domainArgs, image, o, m]);
  for (const f of ["salvage.out", "ddrescue.out"]) rmSync(join(work, f), { force: true });
  return { label: deviceGiB >= 1024 ? `${deviceGiB / 1024} TiB` : `${deviceGiB} GiB`, areas, sv, svResume, dd, ddResume, save };
}

/** Time and peak RSS of a command run directly (no simulator). */
function direct(cmd: string[]): { wall: number; rssMiB: number } {
  const timeFile = join(work, "time.txt");
  const p = Bun.spawnSync(["/usr/bin/time", "-f", "%e %M", "-o", timeFile, ...cmd], { cwd: work, stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  if (p.exitCode !== 0 && p.exitCode !== 1) throw new Error(`${cmd.join(" ")}: exit ${p.exitCode}\n${p.stderr}`);
  const [wall, kb] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number) as [number, number];
  return { wall, rssMiB: kb / 1024 };
}

const hex8 = (n: number) => "0x" + n.toString(16).toUpperCase().padStart(8, "0");

/** A finished (-n) map of `lines` lines over the image, as ddrescue writes it: + and - alternating. */
function resumeFigures(lines: number): void {
  const size = sizeGiB * GiB;
  const areas = Math.floor(lines / 2);
  const stride = Math.floor(size / 512 / areas) * 512;
  const parts: string[] = ["# Mapfile. Created by GNU ddrescue version 1.27\n# current_pos  current_status  current_pass\n0x00000000     +               1\n#      pos        size  status\n"];
  let chunk = "";
  let pos = 0;
  for (let k = 0; k < areas; k++) {
    const bad = k * stride + stride - 512;
    chunk += `${hex8(pos)}  ${hex8(bad - pos)}  +\n${hex8(bad)}  ${hex8(512)}  -\n`;
    pos = bad + 512;
    if (chunk.length > 1 << 20) {
      parts.push(chunk);
      chunk = "";
    }
  }
  if (pos < size) chunk += `${hex8(pos)}  ${hex8(size - pos)}  +\n`;
  parts.push(chunk);
  const text = parts.join("");
  const out = join(work, "resume.out");
  const res: Record<string, { wall: number; rssMiB: number }> = {};
  for (const [tool, cmd] of [["salvage", [salvage, "rescue", "-q", "-n", "--sparse"]], ["ddrescue", ["ddrescue", "-q", "-n", "--sparse"]]] as const) {
    if (tool === "ddrescue" && !withDdrescue) continue;
    const map = join(work, `resume-${tool}.map`);
    writeFileSync(map, text);
    writeFileSync(out, "");
    Bun.spawnSync(["truncate", "-s", String(size), out]);
    res[tool] = direct([...cmd, image, out, map]);
  }
  const s = res.salvage!;
  const d = res.ddrescue;
  console.log(`resume of a finished ${text.split("\n").length - 5}-line map (load, nothing to do, final save): salvage ${f(s.wall, 2)} s / ${f(s.rssMiB, 0)} MiB, ddrescue ${f(d?.wall, 2)} s / ${f(d?.rssMiB, 0)} MiB, ratios ${ratio(s.wall, d?.wall)} / ${ratio(s.rssMiB, d?.rssMiB)}`);
  rmSync(out, { force: true });
}

/** A clean image (no damage) rescued through a domain of `ranges` ranges (every other 1/2N of the disk). */
async function domainFigures(ranges: number, gib: number): Promise<void> {
  const img = join(work, "clean.img");
  writeFileSync(img, "");
  Bun.spawnSync(["truncate", "-s", String(gib * GiB), img]);
  const step = Math.floor((gib * GiB) / ranges / 1024) * 1024;
  let text = "0 + 1\n";
  for (let k = 0; k < ranges; k++) text += `${hex8(k * step)}  ${hex8(step / 2)}  +\n${hex8(k * step + step / 2)}  ${hex8(step / 2)}  ?\n`;
  const dom = join(work, "ranges.map");
  writeFileSync(dom, text);
  const res: Record<string, { wall: number; rssMiB: number }> = {};
  for (const [tool, cmd] of [["salvage", [salvage, "rescue", "-q", "--sparse", "-m", dom]], ["ddrescue", ["ddrescue", "-q", "--sparse", "-m", dom]]] as const) {
    if (tool === "ddrescue" && !withDdrescue) continue;
    const out = join(work, `dom-${tool}.out`);
    rmSync(join(work, `dom-${tool}.map`), { force: true });
    res[tool] = direct([...cmd, img, out, join(work, `dom-${tool}.map`)]);
    rmSync(out, { force: true });
  }
  const s = res.salvage!;
  const d = res.ddrescue;
  console.log(`clean ${gib} GiB image, --domain of ${ranges} ranges: salvage ${f(s.wall, 2)} s / ${f(s.rssMiB, 0)} MiB, ddrescue ${f(d?.wall, 2)} s / ${f(d?.rssMiB, 0)} MiB, wall ratio ${ratio(s.wall, d?.wall)}`);
  rmSync(img, { force: true });
}

/** safecopy mode: single bad sectors, salvage copy vs safecopy under the simulator. */
async function copyFigures(sectors: number, gib: number): Promise<void> {
  if (!systemTool("safecopy")) return void console.log("safecopy not installed: no copy figures");
  const img = join(work, "copy.img");
  writeFileSync(img, "");
  Bun.spawnSync(["truncate", "-s", String(gib * GiB), img]);
  const stride = Math.floor((gib * GiB) / 512 / sectors);
  let x = 777;
  const lines = ["sector-size 512", "timing fail 0", "timing seek 0"];
  for (let k = 0; k < sectors; k++) lines.push(`bad ${k * stride + Math.floor(((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32) * (stride - 1))}`);
  const damage = join(work, "copy.damage");
  writeFileSync(damage, lines.join("\n") + "\n");
  // Wall time follows the machine's load; CPU time (user + sys, the tool's own process) less
  // so: both are shown, and CPU per failed read (the simulator counts the failed reads).
  const res: Record<string, { wall: number; cpu: number; user: number; failed: number }> = {};
  for (const [tool, cmd] of [["salvage", [salvage, "copy"]], ["safecopy", ["safecopy"]]] as const) {
    const timeFile = join(work, "time.txt");
    const list = join(work, `${tool}.badblocks`);
    const r = await runSimulated({ image: img, damage, maxDamageLines: 4_000_000, argv: ["/usr/bin/time", "-f", "%e %M %U %S", "-o", timeFile, ...cmd, "-o", list, img, "/dev/null"], stdio: "pipe", stdin: "ignore", cwd: work });
    const [wall, , user, sys] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
    res[tool] = { wall: wall!, cpu: user! + sys!, user: user!, failed: r.stats.failedReads };
  }
  const same = readFileSync(join(work, "salvage.badblocks"), "latin1") === readFileSync(join(work, "safecopy.badblocks"), "latin1");
  const sv = res.salvage!;
  const sc = res.safecopy!;
  const us = (s: number, n: number) => ((s * 1e6) / n).toFixed(1);
  console.log(
    `safecopy mode, ${sectors} single bad sectors on a sparse ${gib} GiB image (${sv.failed} failed reads): ` +
      `salvage copy ${f(sv.wall, 1)} s wall, ${f(sv.cpu, 1)} s CPU; safecopy ${f(sc.wall, 1)} s, ${f(sc.cpu, 1)} s CPU; ` +
      `ratio wall ${ratio(sv.wall, sc.wall)}, CPU ${ratio(sv.cpu, sc.cpu)}; CPU per failed read ${us(sv.cpu, sv.failed)} µs ` +
      `(user ${us(sv.user, sv.failed)}) vs ${us(sc.cpu, sc.failed)} µs (user ${us(sc.user, sc.failed)}); bad-block lists ${same ? "identical" : "DIFFERENT"}`,
  );
  rmSync(img, { force: true });
}

const f = (n: number | undefined, d = 1) => (n === undefined ? "n/a" : n.toFixed(d));
const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(2) : "n/a");
const resumeLines = Number(opt("resume-lines", "3000000"));
const domainRanges = Number(opt("domain-ranges", "100000"));
if (resumeLines > 0) resumeFigures(resumeLines);
if (domainRanges > 0) await domainFigures(domainRanges, Number(opt("domain-gib", "8")));
const copySectors = Number(opt("copy-sectors", "0"));
if (copySectors > 0) await copyFigures(copySectors, Number(opt("copy-gib", "16")));

const rows: Row[] = [];
for (const a of areasList) {
  rows.push(await scenario(a, sizeGiB));
  const r = rows[rows.length - 1]!;
  console.log(`${r.areas} areas: salvage ${f(r.sv.wall)} s / ${f(r.sv.rssMiB, 0)} MiB, ddrescue ${f(r.dd?.wall)} s / ${f(r.dd?.rssMiB, 0)} MiB`);
}
if (tib16 > 0) rows.push(await scenario(tib16, 16 * 1024));

console.log(`\nbad areas of 1-8 sectors on a sparse ${sizeGiB} GiB image, rescue -n --sparse; wall s / peak RSS MiB (salvage, ddrescue, ratio)`);
console.log("| device | bad areas | map lines | salvage wall / RSS | ddrescue wall / RSS | wall ratio | RSS ratio | resume salvage / ddrescue (s, MiB) | map load s | save step max ms: CPU / wall (steps) | inline save ms |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.areas} | ${r.sv.lines} | ${f(r.sv.wall)} / ${f(r.sv.rssMiB, 0)} | ${f(r.dd?.wall)} / ${f(r.dd?.rssMiB, 0)} | ${ratio(r.sv.wall, r.dd?.wall)} | ${ratio(r.sv.rssMiB, r.dd?.rssMiB)} | ${f(r.svResume.wall, 2)} / ${f(r.ddResume?.wall, 2)} s, ${f(r.svResume.rssMiB, 0)} / ${f(r.ddResume?.rssMiB, 0)} MiB | ${f(r.save.loadS, 2)} | ${f(r.save.stepCpuMs, 1)} / ${f(r.save.stepMs, 1)} (${r.save.steps}) | ${f(r.save.inlineMs, 0)} |`,
  );
}
const same = rows.filter((r) => r.label === `${sizeGiB} GiB`);
if (same.length >= 2) {
  const lo = same[0]!;
  const hi = same[same.length - 1]!;
  const perLine = ((hi.sv.rssMiB - lo.sv.rssMiB) * 2 ** 20) / (hi.sv.lines - lo.sv.lines);
  const perLineDd = hi.dd && lo.dd ? ((hi.dd.rssMiB - lo.dd.rssMiB) * 2 ** 20) / (hi.sv.lines - lo.sv.lines) : undefined;
  console.log(`\nmemory growth per map line (peak RSS, ${lo.sv.lines} → ${hi.sv.lines} lines): salvage ${f(perLine, 0)} bytes, ddrescue ${f(perLineDd, 0)} bytes`);
}
const big = rows.find((r) => r.label !== `${sizeGiB} GiB`);
const twin = big && same.find((r) => r.areas === big.areas);
if (big && twin) console.log(`device size ${twin.label} → ${big.label}, same ${big.areas} areas: salvage peak RSS ${f(twin.sv.rssMiB, 0)} → ${f(big.sv.rssMiB, 0)} MiB (ddrescue ${f(twin.dd?.rssMiB, 0)} → ${f(big.dd?.rssMiB, 0)} MiB)`);
rmSync(work, { recursive: true, force: true });
