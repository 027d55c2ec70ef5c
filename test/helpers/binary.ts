// Shared helpers for tests that run the compiled binary.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { skippedInside } from "./needs.ts";

export const repoRoot = resolve(import.meta.dir, "../..");
export const binary = join(repoRoot, "dist/salvage");

/** The compiled binary; `npm test` builds it first. */
export function salvageBinary(): string {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run 'npm run build' (npm test does it for you)`);
  return binary;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runBinary(argv: string[], opts: { env?: Record<string, string>; cwd?: string; argv0?: string } = {}): RunResult {
  const p = Bun.spawnSync(argv, { env: opts.env ?? { ...process.env, NO_COLOR: "1" }, cwd: opts.cwd, stdin: "ignore" });
  return { code: p.exitCode ?? 128, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
}

/**
 * A scratch directory on a disk filesystem: under the repo's build/ by default, because /tmp may be
 * tmpfs, which refuses O_DIRECT. SALVAGE_TEST_TMP overrides.
 */
export function scratchDir(prefix: string): { path: string; cleanup(): void } {
  const base = process.env.SALVAGE_TEST_TMP ?? join(repoRoot, "build/test-tmp");
  mkdirSync(base, { recursive: true });
  const path = mkdtempSync(join(base, `${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export const isRoot = process.getuid?.() === 0;

/**
 * For a check that can only be decided inside a running test (`if (skipReason(r)) return;`):
 * the reason goes to the summary as "checks skipped inside a passing test". Where the
 * condition is known when tests are defined, prefer `test.skipIf(skipBecause(reason))`
 * (test/helpers/needs.ts), which counts the test as skipped.
 */
export function skipReason(reason: string | undefined): boolean {
  return skippedInside(reason);
}
