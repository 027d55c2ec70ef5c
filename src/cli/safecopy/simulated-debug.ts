// Stopgap replay of safecopy's LD_PRELOAD simulator (reference §10) for the literal source
// path `debug`, enabled only by SALVAGE_SIMULATE_DEBUG=1: reads `simulator.cfg` from the
// current directory (blocksize, filesize, source, softfailcount, hardfail=, softfail=).
// Bun does not go through glibc's open/read, so the upstream library cannot intercept us.
// The bad-media simulator issue provides the full model (delays, traces); this covers the
// read results the golden `s*` scenarios depend on.
import { readFileSync } from "node:fs";
import type { Source } from "../../io/source.ts";
import type { VirtualSource } from "./runner.ts";

const EIO = 5;

interface SimConfig {
  blockSize: number;
  fileSize: number;
  data: Uint8Array;
  softFailCount: number;
  hard: Set<number>;
  soft: Set<number>;
}

function loadConfig(): SimConfig {
  const cfg: SimConfig = { blockSize: 1024, fileSize: 10240, data: new Uint8Array(0), softFailCount: 0, hard: new Set(), soft: new Set() };
  let source = "/dev/urandom";
  for (const line of readFileSync("simulator.cfg", "latin1").split("\n")) {
    const [key, value = ""] = line.split("=", 2) as [string, string?];
    const n = Number.parseInt(value, 10);
    if (key === "blocksize") cfg.blockSize = n;
    else if (key === "filesize") cfg.fileSize = n;
    else if (key === "source") source = value.trim();
    else if (key === "softfailcount") cfg.softFailCount = n;
    else if (key === "hardfail") cfg.hard.add(n);
    else if (key === "softfail") cfg.soft.add(n);
  }
  cfg.data = new Uint8Array(cfg.fileSize);
  const raw = readFileSync(source).subarray(0, cfg.fileSize);
  cfg.data.set(raw);
  return cfg;
}

/** Soft sectors fail `softfailcount` times, then succeed once (state survives reopening). */
class SimulatedSource implements Source {
  readonly path = "debug";
  readonly seekable = true;
  readonly alignment = 1;
  readonly size: number;
  readonly sectorSize: number;

  constructor(private readonly cfg: SimConfig, private readonly failures: Map<number, number>) {
    this.size = cfg.fileSize;
    this.sectorSize = cfg.blockSize;
  }

  private failing(sector: number): boolean {
    return this.cfg.hard.has(sector) || (this.cfg.soft.has(sector) && (this.failures.get(sector) ?? 0) < this.cfg.softFailCount);
  }

  read(buf: Uint8Array, length: number, offset: number): number {
    const { blockSize: bs, fileSize } = this.cfg;
    if (offset >= fileSize) return 0;
    const first = Math.floor(offset / bs);
    if (this.cfg.hard.has(first)) return -EIO;
    if (this.cfg.soft.has(first)) {
      const count = this.failures.get(first) ?? 0;
      if (count < this.cfg.softFailCount) {
        this.failures.set(first, count + 1);
        return -EIO;
      }
      this.failures.set(first, count - 2);
    }
    let end = Math.min(offset + length, fileSize);
    for (let s = first + 1; s * bs < end; s++) {
      if (this.failing(s)) {
        end = s * bs;
        break;
      }
    }
    buf.set(this.cfg.data.subarray(offset, end), 0);
    return end - offset;
  }

  close(): void {}
}

export function simulatedDebugSource(path: string): VirtualSource | null {
  if (path !== "debug" || process.env.SALVAGE_SIMULATE_DEBUG !== "1") return null;
  const cfg = loadConfig();
  const failures = new Map<number, number>();
  return { size: cfg.fileSize, open: () => new SimulatedSource(cfg, failures) };
}
