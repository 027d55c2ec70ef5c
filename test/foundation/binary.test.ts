// The compiled binary is self-contained: it runs with an empty environment, from any
// directory, with a missing TMPDIR or no writable temporary directory at all (the shim is
// loaded from a memfd; see docs/security.md).
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { isRoot, runBinary, salvageBinary, scratchDir, skipReason } from "../helpers/binary.ts";
import { skipBecause } from "../helpers/needs.ts";

const dir = scratchDir("binary");
afterAll(() => dir.cleanup());
const sample = join(dir.path, "sample.bin");
writeFileSync(sample, new Uint8Array(4096).fill(1));

describe("compiled binary", () => {
  test("--version under env -i, from another directory", () => {
    const r = runBinary([salvageBinary(), "--version"], { env: {}, cwd: "/" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`salvage ${pkg.version}\n`);
  });

  test("info (needs the shim) under env -i", () => {
    const r = runBinary([salvageBinary(), "info", "--json", sample], { env: {}, cwd: "/" });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).size).toBe(4096);
  });

  test("TMPDIR pointing at a missing directory falls back to another place", () => {
    const r = runBinary([salvageBinary(), "info", "--json", sample], { env: { TMPDIR: join(dir.path, "missing") } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).kind).toBe("regular");
  });

  test.skipIf(skipBecause(!isRoot && "mounting read-only tmpfs over /tmp needs root"))("no writable temporary directory at all: the shim still loads (from a memfd)", () => {
    // A private mount namespace with read-only /tmp, /dev/shm and /run; TMPDIR missing.
    // The binary and its input must live outside the hidden directories (a clone may sit in /tmp).
    const stage = mkdtempSync("/var/tmp/salvage-ro-");
    const bin = join(stage, "salvage");
    const input = join(stage, "sample.bin");
    copyFileSync(salvageBinary(), bin);
    chmodSync(bin, 0o755);
    copyFileSync(sample, input);
    const script = [
      "mount -t tmpfs -o ro tmpfs /tmp",
      "mount -t tmpfs -o ro tmpfs /dev/shm",
      "mount -t tmpfs -o ro tmpfs /run",
      `exec env -i TMPDIR=/nonexistent ${bin} info ${input}`,
    ].join(" && ");
    const p = Bun.spawnSync(["unshare", "-m", "sh", "-c", script]);
    rmSync(stage, { recursive: true, force: true });
    const stderr = p.stderr.toString();
    if (skipReason(stderr.includes("mount:") || stderr.includes("unshare:") ? `cannot make a mount namespace here: ${stderr.trim()}` : undefined)) return;
    expect(stderr).toBe("");
    expect(p.exitCode).toBe(0);
    expect(p.stdout.toString()).toContain("regular file");
  });

  test("unknown subcommand: usage and exit 2", () => {
    const r = runBinary([salvageBinary(), "frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  test("invoked as `safecopy` it dispatches to the safecopy-compatible mode, not salvage's commands", () => {
    const link = join(dir.path, "safecopy");
    symlinkSync(salvageBinary(), link);
    const r = runBinary([link, "--version"]);
    expect(r.stdout + r.stderr).toContain("safecopy");
    expect(r.stdout).not.toBe(`salvage ${pkg.version}\n`);
  });
});
