// Healthy media: `salvage rescue` against `dd bs=1M conv=fdatasync` copying a page-cached
// file to a new file beside it; wall time of paired runs, alternating which goes first, and
// the median of the per-pair ratios.
import { rmSync } from "node:fs";
import { join } from "node:path";

export interface Healthy {
  pairs: number;
  salvage: number;
  dd: number;
  ratio: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

export function healthyCopy(salvage: string, work: string, mib: number, pairs = 5): Healthy {
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
  for (let i = 0; i < pairs; i++) {
    const [x, y] = i % 2 === 0 ? [runSalvage(), runDd()] : ((y0) => [runSalvage(), y0])(runDd());
    a.push(x);
    b.push(y);
    ratios.push(x / y);
  }
  for (const f of [src, join(work, "h.out"), join(work, "h.map")]) rmSync(f, { force: true });
  return { pairs, salvage: median(a), dd: median(b), ratio: median(ratios) };
}
