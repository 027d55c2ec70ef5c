// Running the built binary on a hostile input, and the promises it must keep whatever the
// input: a documented exit code, a short stderr (one line for a rejected input), no stack
// trace, no raw control character reaching the terminal, and bounded time and memory.
import { expect } from "bun:test";
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
  timedOut: boolean;
}

export function runMeasured(args: string[], cwd?: string): Measured {
  const t0 = performance.now();
  // Killed a little after the limit, so a runaway input fails the assertion, not the test runner.
  const p = Bun.spawnSync([salvageBinary(), ...args], { cwd, stdin: "ignore", env: { ...process.env, NO_COLOR: "1" }, timeout: TIME_LIMIT_MS + 5000, killSignal: "SIGKILL" });
  const ms = performance.now() - t0;
  return { code: p.exitCode ?? 128, stdout: new Uint8Array(p.stdout), stderr: p.stderr.toString(), ms, peak: p.resourceUsage?.maxRSS ?? 0, timedOut: ms >= TIME_LIMIT_MS + 5000 || p.exitCode === null };
}

// C0 except newline and tab, DEL, C1 (raw or UTF-8 encoded): what may never be printed raw.
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/;

/** The promises every run keeps, whatever its exit code. */
export function expectContained(r: Measured, codes: number[]): void {
  expect(r.timedOut).toBe(false);
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
