// Command-line cases compared with Debian safecopy 1.7 (recorded by scripts/record-oracles.ts,
// live too when installed): broken command lines (bad-input.test.ts), the `safecopy` link
// name (multicall.test.ts), --sync on a filesystem with O_DIRECT (sync.test.ts) and the
// terminal decorations (tty.test.ts). Each `run` takes the program to test as `safecopy`.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pattern } from "./engine-harness.ts";
import { digest, digestDir, type Recipe } from "../helpers/oracle.ts";

const ROOT = join(import.meta.dir, "../..");
const main = `${ROOT}/src/main.ts`;
/** salvage's safecopy mode from source, as an argv prefix. */
export const oursArgv = [process.execPath, main, "copy"];
/** The path safecopy's usage text names: how the recordings called it. */
export const SAFECOPY_PATH = "/usr/bin/safecopy"; // the name the recordings printed, never run

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  out: string;
}

// ---- bad input ----

export const badInputMatrix: string[][] = [
  ["nosuch.dat", "out.dat"],
  // (-l 1: without it safecopy reads the directory forever; salvage refuses it: badInputDeviations.)
  ["adir", "out.dat", "-l", "1", "-R", "1", "-f", "1*", "-Z", "0"],
  ["src.dat", "nodir/out.dat"],
  ["-I", "nosuch.bb", "src.dat", "out.dat"],
  ["-I", "adir", "src.dat", "out.dat"],
  ["-X", "nosuch.bb", "src.dat", "out.dat"],
  ["-b", "1024", "-I", "unsorted", "src.dat", "out.dat"],
  ["-b", "1024", "-X", "unsorted", "src.dat", "out.dat"],
  ["-I", "unsorted", "src.dat", "missing.dat"],
  ["-o", "nodir/bb", "src.dat", "out.dat"],
  ["-b", "0", "src.dat", "out.dat"],
  ["-b", "-5", "src.dat", "out.dat"],
  ["-b", "200000000", "-l", "1", "src.dat", "out.dat"],
  ["-f", "abc", "-r", "1.5", "-R", "-3", "-Z", "-1", "src.dat", "out.dat"],
  ["-s", "-4", "-l", "-1", "src.dat", "out.dat"],
  ["-s", "99999999", "src.dat", "out.dat"],
  ["-i", "0", "src.dat", "out.dat"],
  ["-x", "200000000", "src.dat", "out.dat"],
  ["-c", "-3", "src.dat", "out.dat"],
  ["src.dat"],
  ["--stage2", "src.dat", "out.dat"],
];

/**
 * Where salvage answers differently on purpose (docs/compat.md), written from the fix's
 * specification: a directory source is refused when opened (§12.9), as safecopy refuses any
 * source it cannot open; the existing destination is left alone.
 */
export const badInputDeviations: Record<string, (recorded: CliOutcome) => CliOutcome> = {
  "adir out.dat -l 1 -R 1 -f 1* -Z 0": (r) => ({
    code: 2,
    stdout: r.stdout.slice(0, r.stdout.indexOf("Destination: out.dat\n") + "Destination: out.dat\n".length),
    stderr: "Error opening sourcefile: adir : Is a directory\n",
    out: digest(new Uint8Array(4096).fill(1)),
  }),
};

export function runBadInput(cmd: string[], args: string[]): CliOutcome {
  const dir = mkdtempSync(join(tmpdir(), "salvage-bad-"));
  try {
    writeFileSync(join(dir, "src.dat"), pattern(8192, 2));
    writeFileSync(join(dir, "out.dat"), new Uint8Array(4096).fill(1));
    writeFileSync(join(dir, "unsorted"), "3\n1\n");
    mkdirSync(join(dir, "adir"));
    const r = Bun.spawnSync([...cmd, ...args], { cwd: dir, timeout: 20_000 });
    const out = existsSync(join(dir, "out.dat")) ? digest(readFileSync(join(dir, "out.dat"))) : "-";
    return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString(), out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const badInputRecipe: Recipe<CliOutcome> = {
  name: "safecopy/bad-input",
  tools: ["safecopy"],
  keys: badInputMatrix.map((a) => a.join(" ")),
  run: (key, t) => runBadInput([t.safecopy!], badInputMatrix.find((a) => a.join(" ") === key)!),
};

// ---- the name it is called by ----

export const multicallArgs: string[][] = [[], ["-h"], ["-b", "1024", "src.dat", "out.dat"]];

/** `./safecopy ARGS` in a directory where ./safecopy links to `target`. */
export function runLinked(target: string, args: string[]): Omit<CliOutcome, "out"> {
  const d = mkdtempSync(join(tmpdir(), "salvage-multicall-"));
  try {
    symlinkSync(target, join(d, "safecopy"));
    writeFileSync(join(d, "src.dat"), pattern(5000, 1));
    const r = Bun.spawnSync(["./safecopy", ...args], { cwd: d, timeout: 20_000 });
    return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

export const multicallRecipe: Recipe<Omit<CliOutcome, "out">> = {
  name: "safecopy/multicall",
  tools: ["safecopy"],
  keys: multicallArgs.map((a) => `./safecopy ${a.join(" ")}`.trim()),
  run: (key, t) => runLinked(t.safecopy!, multicallArgs.find((a) => `./safecopy ${a.join(" ")}`.trim() === key)!),
};

// ---- --sync (O_DIRECT) ----

/** Where --sync runs: a disk filesystem (tmpfs refuses O_DIRECT). */
export const syncBase = "/var/tmp";
export const syncArgs: string[][] = [
  ["--sync", "-b", "4096"],
  ["--sync", "-b", "1000", "-R", "1", "-Z", "0", "-o", "bb"],
  ["--sync", "-b", "512", "-f", "2*", "-r", "100", "-R", "2", "-Z", "1", "-M", "X", "-o", "bb"],
];

/** Why O_DIRECT cannot be tested here, or undefined. */
export function noDirectIo(): string | undefined {
  if (!existsSync(syncBase)) return `${syncBase} missing`;
  const dir = mkdtempSync(join(syncBase, "salvage-odirect-"));
  try {
    writeFileSync(join(dir, "f"), new Uint8Array(4096));
    const ok = Bun.spawnSync(["dd", `if=${join(dir, "f")}`, "of=/dev/null", "iflag=direct", "bs=4096", "status=none"]).exitCode === 0;
    return ok ? undefined : `${syncBase} does not support O_DIRECT`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function runSync(cmd: string[], args: string[]) {
  const dir = mkdtempSync(join(syncBase, "salvage-sync-"));
  try {
    writeFileSync(join(dir, "src.dat"), pattern(20000, 6));
    const r = Bun.spawnSync([...cmd, ...args, "src.dat", "out.dat"], { cwd: dir, timeout: 30_000 });
    return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString(), files: digestDir(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const syncRecipe: Recipe<ReturnType<typeof runSync>> = {
  name: "safecopy/sync",
  tools: ["safecopy"],
  keys: syncArgs.map((a) => a.join(" ")),
  run: (key, t) => runSync([t.safecopy!], syncArgs.find((a) => a.join(" ") === key)!),
};
