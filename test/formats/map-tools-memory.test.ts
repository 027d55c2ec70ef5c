// The map tools stream: on a 16 TiB device their memory follows the map's extents, never
// the device size or the length of a list. Peak RSS of the compiled binary (the
// runtime alone is ~30-45 MiB) must stay under 64 MiB.
import { afterAll, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { salvageBinary, scratchDir } from "../helpers/binary.ts";

const scratch = scratchDir("map-tools-memory");
afterAll(() => scratch.cleanup());
const TiB = 2 ** 40;
const LIMIT = 64 * 2 ** 20;
const hex = (n: number) => `0x${n.toString(16).toUpperCase()}`;

/**
 * Run the binary from a fresh Bun process that reports its child's peak RSS: a process's
 * rusage of children is the largest child it ever waited for, so measuring from the test
 * runner would report whatever other test ran the biggest child.
 */
function run(args: string[]): { code: number; rss: number; err: string } {
  const probe = `const p = Bun.spawnSync(${JSON.stringify([salvageBinary(), ...args])}, { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
process.stderr.write(p.stderr);
console.log(JSON.stringify({ code: p.exitCode ?? 128, rss: p.resourceUsage.maxRSS }));`;
  const p = Bun.spawnSync([process.execPath, "-e", probe], { cwd: scratch.path, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const r = JSON.parse(p.stdout.toString()) as { code: number; rss: number };
  console.log(`${args.slice(0, 3).join(" ")}: peak RSS ${(r.rss / 2 ** 20).toFixed(1)} MiB`);
  return { code: r.code, rss: r.rss, err: p.stderr.toString() };
}

// A 16 TiB device, three lines: 1 GiB not tried in the middle (2 M blocks of 512 bytes).
const untried = 2 ** 30;
const mid = 8 * TiB;
writeFileSync(join(scratch.path, "big.map"), `0 ? 1\n0 ${hex(mid)} +\n${hex(mid)} ${hex(untried)} ?\n${hex(mid + untried)} ${hex(16 * TiB - mid - untried)} +\n`);

test("map show (and --svg) of a 3-line 16 TiB map", () => {
  const r = run(["map", "show", "big.map", "--svg", "big.svg"]);
  expect(r.code).toBe(0);
  expect(r.rss).toBeLessThan(LIMIT);
  expect(readFileSync(join(scratch.path, "big.svg"), "utf8")).toContain("16.0 TiB in 4608 cells");
}, 60_000);

test("map convert of a 3-line 16 TiB map to a 2 M-line bad-block list", () => {
  const r = run(["map", "convert", "big.map", "big.list"]);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  expect(r.rss).toBeLessThan(LIMIT);
  const first = mid / 512;
  const size = statSync(join(scratch.path, "big.list")).size;
  // Every number from first to first + 2M - 1, one per line, all with the same digit count.
  expect(size).toBe((untried / 512) * (String(first).length + 1));
}, 60_000);

test("map convert of a 2 M-line bad-block list to a 16 TiB map", () => {
  const r = run(["map", "convert", "big.list", "back.map", "--size", "16TiB"]);
  expect(r.code).toBe(0);
  expect(r.rss).toBeLessThan(LIMIT);
  const lines = readFileSync(join(scratch.path, "back.map"), "latin1").split("\n").filter((l) => l.startsWith("0x"));
  expect(lines.slice(1)).toEqual([`${hex(0).replace("0x0", "0x00000000")}  ${hex(mid)}  +`, `${hex(mid)}  0x${untried.toString(16).toUpperCase().padStart(8, "0")}  -`, `${hex(mid + untried)}  ${hex(16 * TiB - mid - untried)}  +`]);
}, 60_000);
