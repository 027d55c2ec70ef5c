// Running the built binary on a hostile input, and the promises it must keep whatever the
// input: a documented exit code, a short stderr (one line for a rejected input), no stack
// trace, no raw control character reaching the terminal, and bounded time and memory.
import { expect } from "bun:test";
import { join } from "node:path";
import { salvageBinary } from "../helpers/binary.ts";

/** Generous for a 2-core machine shared with other jobs; the inputs are a few MiB. */
export const TIME_LIMIT_MS = 10_000;
export const MEMORY_LIMIT = 300 * 1024 * 1024;

export interface Measured {
  code: number;
  stdout: Uint8Array;
  stderr: string;
  ms: number;
  /** Peak resident set size of the process (getrusage of the child), bytes. */
  peak: number;
  /** The signal that ended it (the time limit's SIGKILL, or a crash), else null. */
  killed: string | null;
}

export function runMeasured(args: string[], cwd?: string): Measured {
  // Killed (SIGKILL: a synchronous loop never sees SIGTERM) a little after the limit, so a
  // runaway input fails the assertions, not the test runner.
  const helper = join(import.meta.dir, "measure-child.ts");
  const p = Bun.spawnSync([process.execPath, helper, String(TIME_LIMIT_MS + 5000), cwd ?? "", salvageBinary(), ...args], { stdin: "ignore" });
  const r = JSON.parse(p.stdout.toString()) as { code: number | null; signal: string | null; stdout: string; stderr: string; ms: number; peak: number };
  return { code: r.code ?? 128, stdout: new Uint8Array(Buffer.from(r.stdout, "base64")), stderr: r.stderr, ms: r.ms, peak: r.peak, killed: r.code === null ? (r.signal ?? "unknown signal") : null };
}

// C0 except newline and tab, DEL, C1 (raw or UTF-8 encoded): what may never be printed raw.
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/;

/** The promises every run keeps, whatever its exit code. */
export function expectContained(r: Measured, codes: number[]): void {
  expect(r.killed).toBeNull();
  expect(r.ms).toBeLessThan(TIME_LIMIT_MS);
  expect(r.peak).toBeLessThan(MEMORY_LIMIT);
  expect(codes).toContain(r.code);
  expect(r.stderr).not.toMatch(/^\s+at |internal error|Segmentation|panic|RangeError|TypeError/m);
  expect(r.stderr).not.toMatch(RAW_CONTROL);
  expect(new TextDecoder().decode(r.stdout)).not.toMatch(RAW_CONTROL);
  // Warnings are capped (20, then a count): a hostile input cannot flood the terminal.
  expect(r.stderr.split("\n").filter((l) => l.trim()).length).toBeLessThanOrEqual(30);
}

/** Rejected as bad input: exit 2 and exactly one line, "salvage: ...". */
export function expectOneLineError(r: Measured, pattern?: RegExp): void {
  expectContained(r, [2]);
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^salvage: /);
  expect(lines[0]!.length).toBeLessThan(600);
  if (pattern) expect(lines[0]).toMatch(pattern);
}
