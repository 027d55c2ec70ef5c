// GNU ddrescue 1.27's answers for the option tests (ddrescue-options.test.ts), recorded by
// scripts/record-oracles.ts: which number and interval spellings it takes and what they
// mean (the position a `-i` value puts in the map), the maps and images of -i/-o/-s, -p,
// -t, -A and -M runs, and its three log files. Each case runs one command line; the test
// runs the same code with `salvage rescue` in ddrescue's place.
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { parseMapfile } from "../../src/formats/mapfile.ts";
import { digest, type Recipe } from "../helpers/oracle.ts";
import { randomData } from "./helpers.ts";

/** `-i VALUE -s 512` on a large sparse file: accepted, and where the one rescued block starts. */
export const numberValues = ["4096", "1k", "1K", "1Ki", "1KiB", "1kB", "1M", "1MB", "1Mi", "1MiB", "1m", "4096s", "8s", "1ks", "1Kis", "0x100000", "0X10", "010", "08", "00", "1.5M", "1e3", "1Ms", "1G", "1Gi", "1T", "1Ti", "-1", "5x", "1kib", "1KI", "100B", "2b", "0x", "1Mi5", "1sB", "1ksB", " 5", "5 "];
/** `-T VALUE`: accepted or not (ddrescue keeps whole seconds only). */
export const intervalValues = ["30", "1/2h", "1.5", "1.5m", "0.5", "1/2", "2/3m", "1/3m", "1/7m", "1x", "1/0", "1d", "10d", "0", "-1", "1.5s", "0.01h", "1e3", "0x10", "1M", "1/2s"];
/** Other options' values: accepted or not. */
export const optionValues = ["-c 128", "-c 64Ki", "-c 0x80", "-c 1k", "-c 1s", "-c 0", "-b 4Ki", "-b 1000", "-b 0", "-b 1s", "-e +1k", "-e 3", "-e -1", "-E 1k", "-E 4s", "-K 64Ki,1Mi", "-K ,1Mi", "-r -1", "-r -2", "-r 1k", "-X 1k", "-a 1Mi", "-a 2s", "--cpass=0", "--cpass=1,3-5", "--cpass=2-4", "--cpass=6", "--cpass=2-1", "--cpass=1,1", "--delay-slow=1/2m", "--delay-slow=1.5", "--max-slow-reads=1k", "--pause-on-error=0", "--pause-on-error=0.1", "-o 1s"];
/** Runs whose map and image are compared: domain placement, preallocation, truncation, -A/-M. */
export const runCases = ["-i 1Ki -o 3Ki -s 2Ki", "-i 0x3000 -s 5000", "-o 1Mi -s 4Ki", "-p --cpass=0 -n -N -i 1Ki -o 3Ki -s 2Ki", "-p -s 20Ki", "-t -s 2Ki", "-s 2Ki", "-A", "-M", "-A -M", "-A -i 0x11800", "-M -s 0x13400"];

/** The input of the run cases: 1 MiB of seeded random bytes. */
const INPUT_SIZE = 1 << 20;
/** A map with every status, for -A and -M. */
const MIXED_MAP = "# with every status\n0x0 * 1\n0x0 0x10000 +\n0x10000 0x1000 *\n0x11000 0x2000 /\n0x13000 0x800 -\n0x13800 0xEC800 ?\n";
/** A test-mode disk for the logs: two bad areas. */
const TEST_MAP = "0x0 + 1\n0x0 0x40000 +\n0x40000 0x400 -\n0x40400 0x3FC00 +\n0x80000 0x2000 -\n0x82000 0x7E000 +\n";

export interface OptionRun {
  accepted: boolean;
  /** `number` cases: where the map's rescued block starts. */
  pos?: number | null;
  /** run cases: the map's blocks, the image's size and contents. */
  blocks?: string;
  size?: number;
  image?: string;
  /** log cases: the three files. */
  logs?: Record<string, string>;
}

const words = (s: string) => s.split(" ").filter(Boolean);

/** How a tool is run: its command, and which exit codes mean "the command line was taken". */
export interface Tool {
  cmd: string[];
  /** ddrescue: 0 (1 is any error, usage included); salvage: 0 or 1 (done, data missing), 2 is a refusal. */
  accepted(code: number): boolean;
}

export const ddrescueTool = (path: string): Tool => ({ cmd: [path], accepted: (c) => c === 0 });

function run(tool: Tool, dir: string, args: string[]): boolean {
  const p = Bun.spawnSync([...tool.cmd, "-q", ...args, "in", "out", "map"], { cwd: dir, stdin: "ignore", stdout: "ignore", stderr: "ignore", env: { ...process.env, LC_ALL: "C" } });
  return tool.accepted(p.exitCode ?? 128);
}

const blocks = (path: string) => parseMapfile(readFileSync(path, "latin1")).blocks.map((b) => `${b.pos} ${b.size} ${b.status}`).join("\n");

/** `tool` is ddrescue, or `salvage rescue`. */
export function optionCase(cmd: Tool, key: string): OptionRun {
  const dir = mkdtempSync(join(tmpdir(), "salvage-ddopt-"));
  try {
    const [kind, ...rest] = key.split(" ");
    const value = key.slice(kind!.length + 1);
    if (kind === "number") {
      // A sparse 2 TiB input: positions up to 1Ti are inside it, nothing is read but 512 bytes.
      writeFileSync(join(dir, "in"), "");
      truncateSync(join(dir, "in"), 2 ** 41);
      const accepted = run(cmd, dir, ["-n", "-N", "-i", value, "-s", "512"]);
      const pos = accepted ? (parseMapfile(readFileSync(join(dir, "map"), "latin1")).blocks.find((b) => b.status === "+")?.pos ?? null) : null;
      return { accepted, pos };
    }
    writeFileSync(join(dir, "in"), randomData(INPUT_SIZE, 7));
    if (kind === "interval" || kind === "option") {
      const args = kind === "interval" ? ["-T", value] : value.startsWith("--") ? [value] : [rest[0]!, rest.slice(1).join(" ")];
      return { accepted: run(cmd, dir, ["-n", "-N", ...args, "-s", "4Ki"]) };
    }
    if (kind === "logs") {
      writeFileSync(join(dir, "test.map"), TEST_MAP);
      const accepted = run(cmd, dir, ["-H", "test.map", "--log-rates=rates", "--log-reads=reads", "--log-events=events", ...words(value)]);
      const logs: Record<string, string> = {};
      for (const f of ["rates", "reads", "events"]) logs[f] = readFileSync(join(dir, f), "latin1");
      return { accepted, logs };
    }
    // run cases
    if (value.includes("-A") || value.includes("-M")) {
      // The map's rescued 64 KiB are in the image (salvage refuses a map without its image).
      writeFileSync(join(dir, "map"), MIXED_MAP);
      writeFileSync(join(dir, "out"), new Uint8Array(0x10000));
    }
    if (value.includes("-t") || value.includes("-p -s")) writeFileSync(join(dir, "out"), "x".repeat(10000));
    const extra = value.includes("-A") || value.includes("-M") ? ["--cpass=0", "-n", "-N"] : [];
    const accepted = run(cmd, dir, [...extra, ...words(value)]);
    return { accepted, blocks: blocks(join(dir, "map")), size: statSync(join(dir, "out")).size, image: digest(readFileSync(join(dir, "out"))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const logCases = ["logs -r1", "logs -n", "logs -X0"];

export const optionsRecipe: Recipe<OptionRun> = {
  name: "ddrescue/options",
  tools: ["ddrescue"],
  keys: [...numberValues.map((v) => `number ${v}`), ...intervalValues.map((v) => `interval ${v}`), ...optionValues.map((v) => `option ${v}`), ...runCases.map((v) => `run ${v}`), ...logCases],
  run: (key, t) => optionCase(ddrescueTool(t.ddrescue!), key),
};
