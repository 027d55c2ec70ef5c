// Foundation figures: binary size, `--version` start-up time, and 1 GiB read/copy
// throughput with 1 MiB preads through the shim against `dd bs=1M`, in the same run.
//
//   bun scripts/bench-foundation.ts [--size-mib 1024] [--runs 3]
import { statSync, openSync, writeSync, closeSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { alignedBuffer } from "../src/native/aligned.ts";
import { close, openSource, openTarget, preadRaw, pwriteAll } from "../src/native/io.ts";

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const sizeMiB = opt("--size-mib", 1024);
const runs = opt("--runs", 3);
const root = resolve(import.meta.dir, "..");
const binary = join(root, "dist/salvage");
const dir = mkdtempSync(join(process.env.BENCH_DIR ?? "/var/tmp", "salvage-bench-"));
const MiB = 1 << 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

function makeSource(path: string): void {
  // Non-repeating-per-MiB content, so nothing is sparse or trivially compressible.
  const chunk = new Uint8Array(MiB);
  crypto.getRandomValues(chunk.subarray(0, 65536));
  for (let i = 65536; i < MiB; i += 65536) chunk.copyWithin(i, 0, 65536);
  const fd = openSync(path, "w");
  for (let i = 0; i < sizeMiB; i++) {
    chunk[0] = i & 0xff;
    chunk[1] = (i >> 8) & 0xff;
    writeSync(fd, chunk);
  }
  closeSync(fd);
}

function shimRead(src: string, dst: string | null): void {
  const buf = alignedBuffer(MiB);
  const fd = openSource(src);
  const out = dst ? openTarget(dst, { create: true, truncate: true }) : -1;
  let pos = 0;
  for (;;) {
    const n = preadRaw(fd, buf, MiB, pos);
    if (n <= 0) break;
    if (out >= 0) pwriteAll(out, buf, n, pos);
    pos += n;
  }
  close(fd);
  if (out >= 0) close(out);
}

function dd(src: string, dst: string): void {
  const p = Bun.spawnSync(["dd", `if=${src}`, `of=${dst}`, "bs=1M", "status=none"]);
  if (p.exitCode !== 0) throw new Error(p.stderr.toString());
}

try {
  const src = join(dir, "src.bin");
  const dst = join(dir, "dst.bin");
  console.log(`binary size: ${statSync(binary).size} bytes (${(statSync(binary).size / MiB).toFixed(1)} MiB)`);

  const starts = Array.from({ length: 20 }, () => time(() => Bun.spawnSync([binary, "--version"], { env: {} })));
  console.log(`--version start-up: median ${(median(starts) * 1000).toFixed(1)} ms over 20 runs`);

  makeSource(src);
  dd(src, "/dev/null"); // warm the page cache for both contenders
  for (const [label, shimDst, ddDst] of [
    ["read (to /dev/null)", null, "/dev/null"],
    ["copy (file to file)", dst, dst],
  ] as const) {
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < runs; r++) {
      a.push(time(() => shimRead(src, shimDst)));
      b.push(time(() => dd(src, ddDst)));
    }
    const ta = median(a), tb = median(b);
    const mb = (sizeMiB * MiB) / 1e6;
    console.log(
      `${label}: shim 1 MiB preads ${ta.toFixed(3)} s (${(mb / ta).toFixed(0)} MB/s), dd bs=1M ${tb.toFixed(3)} s (${(mb / tb).toFixed(0)} MB/s), ratio shim/dd ${(ta / tb).toFixed(2)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
