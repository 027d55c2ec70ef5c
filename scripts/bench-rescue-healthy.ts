// Healthy media: `salvage rescue` against `dd bs=1M conv=fdatasync` copying a page-cached
// file to a new file beside it (in `dir`); wall time of paired runs after one warm-up pair,
// alternating which goes first, and the median of the per-pair ratios. On a shared machine
// the flush to disk is noisy: a tmpfs `dir` measures the copying alone.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

export interface Healthy {
  pairs: number;
  /** Every pair: [salvage seconds, dd seconds]. */
  runs: [number, number][];
  salvage: number;
  dd: number;
  ratio: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

export function healthyCopy(salvage: string, work: string, mib: number, pairs = 7): Healthy {
  mkdirSync(work, { recursive: true });
  const src = join(work, "healthy.bin");
  Bun.spawnSync(["sh", "-c", `head -c ${mib}M /dev/urandom > ${src} && cat ${src} > /dev/null`]);
  const time = (cmd: string[]): number => {
    for (const f of ["h.out", "h.map"]) rmSync(join(work, f), { force: true });
    const t0 = performance.now();
    const r = Bun.spawnSync(cmd, { cwd: work, stdin: "ignore", stdout: "ignore", stderr: "pipe" });
    const t = (performance.now() - t0) / 1000;
    if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed: ${r.stderr.toString().slice(0, 300)}`);
    return t;
  };
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  const runSalvage = () => time([salvage, "rescue", "-q", src, "h.out", "h.map"]);
  const runDd = () => time(["dd", `if=${src}`, "of=h.out", "bs=1M", "conv=fdatasync", "status=none"]);
  // a first pair, not counted: the binary extracts its shim, caches settle
  runSalvage();
  runDd();
  for (let i = 0; i < pairs; i++) {
    let x: number, y: number;
    if (i % 2 === 0) {
      x = runSalvage();
      y = runDd();
    } else {
      y = runDd();
      x = runSalvage();
    }
    a.push(x);
    b.push(y);
    ratios.push(x / y);
  }
  for (const f of [src, join(work, "h.out"), join(work, "h.map")]) rmSync(f, { force: true });
  return { pairs, runs: a.map((x, i) => [x, b[i]!]), salvage: median(a), dd: median(b), ratio: median(ratios) };
}
