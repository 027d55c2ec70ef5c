// kill -9 at random moments, rerun the same command, repeat until it finishes: the image
// and the map must equal those of an uninterrupted run. Reads are slowed (test-only
// SALVAGE_TEST_READ_DELAY_MS) so kills land in every phase, including inside map saves.
import { afterAll, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../helpers/binary.ts";
import { makeTestDisk, salvageCommand } from "./cli-helpers.ts";
import { rng } from "./helpers.ts";

const scratch = scratchDir("rescue-kill");
afterAll(() => scratch.cleanup());

/** What identifies a saved map (empty when there is none yet). */
function mapState(path: string): string {
  return existsSync(path) ? readFileSync(path, "latin1") : "";
}

/** The map from its status line on (the header holds times and the command line). */
function mapBody(path: string): string {
  const t = readFileSync(path, "latin1");
  return t.slice(t.indexOf("# current_pos"));
}

function start(dir: string, out: string, map: string, interval: string, delayMs: number) {
  return Bun.spawn([...salvageCommand(), "rescue", "in.bin", out, map, "--test-mode", "test.map", "--mapfile-interval", interval, "-q"], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1", SALVAGE_TEST_READ_DELAY_MS: String(delayMs) },
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  });
}

test("kill -9 at 20+ random points, resume each time: same image and map as one uninterrupted run", async () => {
  const dir = scratch.path;
  makeTestDisk(dir, 77, 1024 * 1024);
  const ref = start(dir, "ref.bin", "ref.map", "30", 0);
  expect(await ref.exited).toBe(1); // bad sectors remain
  const r = rng(2026);
  let kills = 0;
  // Chains of kills until each ends by itself; as many chains as it takes to reach 24 kills.
  for (let chain = 0; chain < 4 || (kills < 24 && chain < 12); chain++) {
    const out = `out${chain}.bin`;
    const map = `map${chain}`;
    // Saving after every read, and at short intervals (kills then lose unsaved progress).
    const interval = chain % 2 === 0 ? "0" : "0.05";
    for (let attempt = 0; ; attempt++) {
      // Kill at a random moment once this attempt has saved something new, so every attempt
      // makes progress however slow the machine is (start-up time varies with load).
      const before = mapState(join(dir, map));
      const p = start(dir, out, map, interval, 2);
      let done = false;
      void p.exited.then(() => (done = true));
      for (let i = 0; i < 500 && !done && mapState(join(dir, map)) === before; i++) await Bun.sleep(5);
      const timer = setTimeout(() => p.kill("SIGKILL"), r() * 300);
      const code = await p.exited;
      clearTimeout(timer);
      if (p.signalCode === "SIGKILL") {
        kills++;
        continue;
      }
      expect(code).toBe(1);
      expect(attempt).toBeLessThan(60);
      break;
    }
    expect(Buffer.compare(readFileSync(join(dir, out)), readFileSync(join(dir, "ref.bin")))).toBe(0);
    expect(mapBody(join(dir, map))).toBe(mapBody(join(dir, "ref.map")));
  }
  console.log(`kill -9 points: ${kills}`);
  expect(kills).toBeGreaterThanOrEqual(20);
}, 120_000);

test("SIGINT and SIGTERM stop between reads: exit 130, map saved, the rerun completes the same", async () => {
  const dir = scratch.path;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    const out = `sig-${sig}.bin`;
    const map = `sig-${sig}.map`;
    const p = start(dir, out, map, "0", 3);
    // Signal only once the handlers are surely installed: the first map save has happened.
    for (let i = 0; i < 400 && !existsSync(join(dir, map)); i++) await Bun.sleep(10);
    await Bun.sleep(50);
    p.kill(sig);
    expect(await p.exited).toBe(130);
    const saved = readFileSync(join(dir, map), "latin1");
    expect(saved).toMatch(/^# Stopped: interrupted by SIG(INT|TERM)$/m);
    expect(saved).toMatch(/^0x[0-9A-F]{8}     [?*\/-]               \d+$/m);
    expect(await start(dir, out, map, "30", 0).exited).toBe(1);
    expect(Buffer.compare(readFileSync(join(dir, out)), readFileSync(join(dir, "ref.bin")))).toBe(0);
    expect(mapBody(join(dir, map))).toBe(mapBody(join(dir, "ref.map")));
  }
});
