// Lab: run the mapfile engine in-process on the simulator's failure models, with the
// simulator's timing model, and print time to 90/99/99.9/100 % of the readable data, per
// phase with --phases. Seconds of iteration instead of minutes: the real comparison with
// GNU ddrescue (both under the LD_PRELOAD simulator, same disks) is scripts/bench-rescue.ts.
//   bun scripts/lab/run.ts [--models areas,head,weak:k=2] [--seeds 1,2] [--size-mib 64] [--phases] [--opts '{"retries":0}'] [--bench-clock] [--trace SECONDS] [--stop-at S1,S2 [--forget]]
// --bench-clock: the engine reads the real clock, as under the LD_PRELOAD simulator without
// --virtual-clock (which charges virtual time without sleeping), so it sees no slow reads.
// Without it the engine sees virtual time, as on a real drive and as scripts/bench-rescue.ts
// runs the tools (simulate --virtual-clock): the default matches the bench.
// --stop-at 1,10: interrupt the run at those virtual seconds and resume it in a new engine
// context from the map and its status line, as a restart does (what was learned in memory
// is lost unless MAP.learned brings it back; --forget: without it): what an interruption
// costs in time to data.
import { Domain } from "../../src/rescue/mapfile/domain.ts";
import { RescueContext } from "../../src/rescue/mapfile/context.ts";
import { resolveOptions } from "../../src/rescue/mapfile/options.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { runRescue } from "../../src/rescue/mapfile/engine.ts";
import type { StatusLine } from "../../src/rescue/mapfile/status.ts";
import { learnedState, parseLearned, restoreLearned, type LearnedState } from "../../src/rescue/mapfile/learned-state.ts";
import { model } from "./models.ts";
import { TimedSource } from "./timed-source.ts";

const argv = process.argv.slice(2);
const opt = (n: string, d: string) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? argv[i + 1]! : d; };
const models = opt("models", "areas,head,islands,mixed,scattered,scratch,weak:k=2").split(",");
const seeds = opt("seeds", "1").split(",").map(Number);
const size = Number(opt("size-mib", "64")) << 20;
const extra = JSON.parse(opt("opts", "{}"));
const ss = 512;

function curve(src: TimedSource, readable: number, isBad: Uint8Array) {
  const got = new Uint8Array(size / ss);
  let have = 0;
  const marks = [0.9, 0.99, 0.999, 1];
  const at: number[] = [];
  let k = 0;
  for (let i = 0; i < src.good.length && k < marks.length; i += 3) {
    const t = src.good[i]!, pos = src.good[i + 1]!, len = src.good[i + 2]!;
    for (let s = pos / ss; s < (pos + len) / ss; s++) if (!got[s]) { got[s] = 1; if (!isBad[s]) have += ss; }
    while (k < marks.length && have >= marks[k]! * readable) { at.push(t / 1e9); k++; }
  }
  while (at.length < marks.length) at.push(NaN);
  return { at, have };
}

for (const name of models) for (const fw of [true, false]) for (const seed of seeds) {
  const ex = model(name, size / ss, seed);
  const isBad = new Uint8Array(size / ss);
  let bad = 0;
  for (const e of ex) if (e.kind === "bad") for (let s = e.first; s < e.first + e.count; s++) { isBad[s] = 1; bad++; }
  const readable = size - bad * ss;
  const src = new TimedSource(size, ex, fw);
  // --trace T: every seek and failed read until T virtual seconds, in sectors
  const traceUntil = Number(opt("trace", "0")) * 1e9;
  if (traceUntil > 0) src.onRead = (pos, len, res, seek) => { if (src.ns <= traceUntil && (seek || res < 0)) console.log(`  ${(src.ns / 1e9).toFixed(3)} ${last.name} ${seek ? "S" : " "} ${pos / ss}+${len / ss} ${res < 0 ? "FAIL" : res / ss}`); };
  const map = new StatusMap(size);
  const target = { write() {} };
  const phases: string[] = [];
  let last = { name: "start", ns: 0, failed: 0, reads: 0, seeks: 0 };
  const close = () => phases.push(`${last.name}:${((src.ns - last.ns) / 1e9).toFixed(1)}s/${src.failed - last.failed}f/${src.reads - last.reads}r/${src.seeks - last.seeks}k`);
  const onEvent = (e: any) => { if (e.type === "phase") { close(); phases.push(`[${(100 * map.totals()["+"] / readable).toFixed(1)}%]`); last = { name: `${e.status}${e.pass}`, ns: src.ns, failed: src.failed, reads: src.reads, seeks: src.seeks }; } };
  const stops = opt("stop-at", "").split(",").filter(Boolean).map((t) => Number(t) * 1e9);
  const stopRequested = () => (stops.length && src.ns >= stops[0]! ? (stops.shift(), "lab stop") : null);
  const newContext = () => new RescueContext(src, target, map, Domain.whole(size), resolveOptions(extra, size, ss), { now: argv.includes("--bench-clock") ? () => performance.now() : () => src.ns / 1e6, onEvent, stopRequested });
  const t0 = performance.now();
  let ctx = newContext();
  let line: StatusLine | undefined;
  while ((await runRescue(ctx, line)).outcome === "interrupted") {
    line = { ...ctx.current };
    // Through the text a restart reads back (MAP.learned); --forget: without it.
    const saved = JSON.stringify(learnedState(ctx));
    ctx = newContext();
    if (!argv.includes("--forget")) restoreLearned(ctx, parseLearned(saved, size, ss) as LearnedState, line);
  }
  const wall = performance.now() - t0;
  const c = curve(src, readable, isBad);
  console.log(`${name.padEnd(9)} ${fw ? "whole" : "short"} s${seed}  t90 ${c.at[0]!.toFixed(2).padStart(7)}  t99 ${c.at[1]!.toFixed(2).padStart(7)}  t99.9 ${c.at[2]!.toFixed(2).padStart(7)}  t100 ${c.at[3]!.toFixed(2).padStart(7)}  total ${(src.ns / 1e9).toFixed(1).padStart(7)}  errors ${String(src.errors).padStart(6)}  missed ${readable - c.have}  bad ${bad} wall ${wall.toFixed(0)}ms`);
  close();
  if (argv.includes("--phases")) console.log("   ", phases.join("  "));
}
