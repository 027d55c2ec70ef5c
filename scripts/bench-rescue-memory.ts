// Memory on a huge failing disk: `salvage rescue --sparse` of a sparse simulated disk (zeros,
// no disk space) with very many small bad areas, its peak RSS through GNU time, stopped with
// SIGINT after a real-time limit (a 64 GiB disk takes many minutes). The peak includes the
// pages of the simulator's shared state (extents and per-sector counters) the run touched;
// the report states how large that state is.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { makeDisk } from "../src/sim/make.ts";
import { runSimulated } from "../src/sim/run.ts";

export interface Memory {
  size: number;
  badAreas: number;
  /** Size of the simulator's state mapped into the process, bytes. */
  simulatorState: number;
  peakRss: number | null;
  /** Stopped by the time limit (else it finished). */
  stopped: boolean;
  realSeconds: number;
  /** Share of the disk read so far. */
  readShare: number;
}

export async function memoryProbe(salvage: string, work: string, size: number, areas: number, limitSeconds: number): Promise<Memory> {
  const image = join(work, "memory.img");
  const sectors = size / 512;
  const model = makeDisk({ image, damage: `${image}.damage`, size, pattern: "scattered", seed: 1, sectorSize: 512, params: { density: String(areas / sectors), length: "1-8" }, timing: { failNs: 0.2e9 }, sparse: true });
  const badSectors = model.extents.reduce((n, e) => n + e.count, 0);
  const t0 = performance.now();
  const argv = ["/usr/bin/time", "-f", "bench-rescue-rss %M", "timeout", "-s", "INT", String(limitSeconds), salvage, "rescue", "--sparse", "-q", image, "memory.out", "memory.map"];
  const r = await runSimulated({ image, damage: model, argv, stdio: "pipe", stdin: "ignore", cwd: work });
  const kib = /bench-rescue-rss (\d+)/.exec(r.stderr)?.[1];
  for (const f of [image, `${image}.damage`, join(work, "memory.out"), join(work, "memory.map")]) rmSync(f, { force: true });
  return {
    size,
    badAreas: model.extents.length,
    simulatorState: 8192 + 48 * model.extents.length + 4 * badSectors,
    peakRss: kib ? Number(kib) * 1024 : null,
    stopped: r.exitCode === 124,
    realSeconds: (performance.now() - t0) / 1000,
    readShare: r.stats.bytes / size,
  };
}
