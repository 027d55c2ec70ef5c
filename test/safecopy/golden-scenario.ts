// Reads one recorded safecopy scenario directory (see the golden README) and checks a
// destination against its run-length byte classification.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type Run = [number, number, number, string];
export interface ByteMap {
  size: number;
  runs: Run[];
}

export interface Scenario {
  dir: string;
  setup: string;
  command: string;
  expected: { stdout: string; stderr: string; exitCode: number };
  bytemaps: Record<string, ByteMap>;
  timing: string | null;
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), "latin1");

export function parseByteMap(text: string): ByteMap {
  const lines = text.trim().split("\n");
  const size = Number(/# size (\d+)/.exec(lines[0] ?? "")?.[1] ?? -1);
  const runs = lines.slice(1).filter((l) => l.trim()).map((l) => {
    const [a, b, c, d] = l.trim().split(/\s+/);
    return [Number(a), Number(b), Number(c), d!] as Run;
  });
  return { size, runs };
}

export function readScenario(dir: string): Scenario {
  const lines = read(dir, "command.txt").split("\n");
  const setupAt = lines.findIndex((l) => l.startsWith("# setup"));
  const setup = (lines[setupAt + 1] ?? "").replace(/^#\s*/, "");
  const command = lines.filter((l) => l.trim() && !l.startsWith("#")).join("\n");
  const simulated = existsSync(join(dir, "stderr.safecopy-only.txt"));
  const bytemaps: Record<string, ByteMap> = {};
  for (const f of readdirSync(dir)) {
    const m = /^bytemap\.(.+)\.txt$/.exec(f);
    if (m) bytemaps[m[1]!] = parseByteMap(read(dir, f));
  }
  return {
    dir,
    setup: setup.trim() === "" ? ":" : setup,
    command,
    expected: {
      stdout: read(dir, "stdout.txt"),
      stderr: read(dir, simulated ? "stderr.safecopy-only.txt" : "stderr.txt"),
      exitCode: Number(read(dir, "exitcode.txt").trim()),
    },
    bytemaps,
    timing: existsSync(join(dir, "timing.txt")) ? read(dir, "timing.txt") : null,
  };
}

/** Bad-block lists and the seek-script log, verbatim. */
export function expectedFiles(sc: Scenario): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(sc.dir)) if (f.endsWith(".badblocks") || f === "xblocks" || f === "seek.log") out[f] = read(sc.dir, f);
  return out;
}

const markerBytes = new Set([..."MARKBAADBaDbLoCk"].map((c) => c.charCodeAt(0)));

function holds(cls: string, dest: Uint8Array, src: Uint8Array, s: number, e: number): boolean {
  const all = (f: (x: number, i: number) => boolean) => {
    for (let i = s; i < e; i++) if (!f(dest[i]!, i)) return false;
    return true;
  };
  if (cls === "ZERO") return all((x) => x === 0);
  if (cls === "PRE") return all((x) => x === 1);
  if (cls === "MARK") return all((x) => markerBytes.has(x));
  if (cls === "SRC") {
    // The recording compares with the source at the -s offset (or 0 when a pipe ignored it).
    for (let start = 0; start <= 20 * 1024; start += 1024) if (all((x, i) => x === src[i + start])) return true;
  }
  return false;
}

/** The expected runs where our destination agrees, marked otherwise; plus the size. */
export function classify(dest: Uint8Array, src: Uint8Array, map: ByteMap): Run[] {
  const runs = map.runs.map(([s, e, n, cls]): Run => [s, e, n, holds(cls, dest, src, s, e) ? cls : `NOT-${cls}`]);
  if (dest.length !== map.size) runs.push([dest.length, dest.length, 0, `SIZE-${dest.length}-NOT-${map.size}`]);
  return runs;
}
