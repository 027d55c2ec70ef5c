// MAP.learned beside the map: written with every save, read back by a resumed rescue, and
// treated as hostile input: a damaged, foreign or planted file is a one-line note and the
// run goes on learning as before, never an error and never a write through a symlink.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../helpers/binary.ts";
import { LEARNED_MAX_BYTES, parseLearned, type LearnedState } from "../../src/rescue/mapfile/learned-state.ts";
import { mapBlocks, makeTestDisk, salvageCommand } from "./cli-helpers.ts";

const scratch = scratchDir("rescue-learned");
afterAll(() => scratch.cleanup());

const SIZE = 2 * 1024 * 1024;

const valid: LearnedState = {
  version: 1,
  size: SIZE,
  sector: 512,
  partialReads: true,
  perSectorErrors: false,
  failMs: 210,
  largestArea: 65536,
  pass1: {
    pos: 131072,
    dir: 1,
    learner: { start: 0, areas: [65536], reaches: [65536], lastContact: 4096, spacing: null, rate: 1e5, samples: 12, measured: 1, adjacentReads: 0, adjacentFailures: 0 },
    run: { contact: 4096, failures: 2, reached: 8192, skip: 131072, nextToDefect: false, landing: null, refining: null },
  },
  retry: null,
};

describe("parseLearned: any file may lie there", () => {
  test("a saved state reads back", () => {
    expect(parseLearned(JSON.stringify(valid), SIZE, 512)).toEqual(valid);
    const retrying = { ...valid, pass1: null, retry: { pos: 4096, budget: 12, proven: 30, failed: 5, read: 1 } };
    expect(parseLearned(JSON.stringify(retrying), SIZE, 512)).toEqual(retrying);
  });
  const cases: Array<[string, string, string]> = [
    ["another drive's size", JSON.stringify({ ...valid, size: SIZE * 2 }), "another drive"],
    ["another sector size", JSON.stringify({ ...valid, sector: 4096 }), "another drive"],
    ["not JSON", "{", "not valid JSON"],
    ["a later version", JSON.stringify({ ...valid, version: 2 }), "unknown version"],
    ["an array", "[1,2]", "unknown version"],
    ["too large", " ".repeat(LEARNED_MAX_BYTES + 1), "too large"],
    ["a negative cost", JSON.stringify({ ...valid, failMs: -1 }), "damaged"],
    ["an area larger than the drive", JSON.stringify({ ...valid, largestArea: SIZE + 1 }), "damaged"],
    ["a direction of 2", JSON.stringify({ ...valid, pass1: { ...valid.pass1!, dir: 2 } }), "damaged"],
    ["a thousand areas", JSON.stringify({ ...valid, pass1: { ...valid.pass1!, learner: { ...valid.pass1!.learner, areas: Array(1000).fill(1), reaches: Array(1000).fill(1) } } }), "damaged"],
    ["a position past the end", JSON.stringify({ ...valid, pass1: { ...valid.pass1!, run: { ...valid.pass1!.run, contact: SIZE * 4 } } }), "damaged"],
    ["a string for a count", JSON.stringify({ ...valid, pass1: { ...valid.pass1!, learner: { ...valid.pass1!.learner, samples: "12" } } }), "damaged"],
    ["a missing run", JSON.stringify({ ...valid, pass1: { ...valid.pass1!, run: undefined } }), "damaged"],
    ["a negative retry budget", JSON.stringify({ ...valid, retry: { pos: 0, budget: -4, proven: 4, failed: 0, read: 0 } }), "damaged"],
    ["no retry field", JSON.stringify({ ...valid, retry: undefined }), "damaged"],
  ];
  test.each(cases)("%s: not used, with the reason", (_name, text, reason) => {
    const r = parseLearned(text, SIZE, 512);
    expect(typeof r).toBe("string");
    expect(r as string).toContain(reason);
  });
});

function rescue(dir: string, map: string, extra: string[] = []) {
  const p = Bun.spawnSync([...salvageCommand(), "rescue", "in.bin", `${map}.bin`, map, "--test-mode", "test.map", ...extra], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdin: "ignore" });
  return { code: p.exitCode, stderr: p.stderr.toString() };
}

/** Start a rescue with slow reads (test-only delay) and stop it with SIGINT once it has saved a map: in copy pass 1. */
async function interrupted(dir: string, map: string): Promise<number | null> {
  const p = Bun.spawn([...salvageCommand(), "rescue", "in.bin", `${map}.bin`, map, "--test-mode", "test.map", "--mapfile-interval", "0", "-q"], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1", SALVAGE_TEST_READ_DELAY_MS: "50" },
    stdin: "ignore",
    stdout: "ignore",
    stderr: "ignore",
  });
  for (let i = 0; i < 1000 && !existsSync(join(dir, `${map}.learned`)); i++) await Bun.sleep(5);
  p.kill("SIGINT");
  return p.exited;
}

describe("salvage rescue and MAP.learned", () => {
  const dir = scratch.path;
  makeTestDisk(dir, 31, SIZE);
  const reference = rescue(dir, "ref");

  test("saved with the map; a run resumed from it ends with the same image and map as one run", async () => {
    expect(reference.code).toBe(1); // bad sectors remain
    expect(await interrupted(dir, "a")).toBe(130);
    const text = readFileSync(join(dir, "a.learned"), "utf8");
    const state = parseLearned(text, SIZE, 512);
    if (typeof state === "string") throw new Error(state);
    const current = readFileSync(join(dir, "a"), "latin1").match(/^0x([0-9A-Fa-f]+)\s+(\S)\s+(\d+)/m)!;
    // Stopped in copy pass 1: the pass's state belongs to the map's status line.
    expect(current[2]).toBe("?");
    expect(state.pass1?.pos).toBe(parseInt(current[1]!, 16));
    const resumed = rescue(dir, "a");
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).not.toContain("not using");
    expect(readFileSync(join(dir, "a.bin"))).toEqual(readFileSync(join(dir, "ref.bin")));
    expect(mapBlocks(join(dir, "a"))).toEqual(mapBlocks(join(dir, "ref")));
  });

  test("a resumed run uses it: a bad area size learned before the stop sizes the first skip after it", async () => {
    // The test disk's one bad area lies at 0xF9000, met by the read at 0xF0000 (a short read).
    const firstSkipAfterDamage = (map: string, learned: ((s: LearnedState) => void) | null) => {
      for (const f of [map, `${map}.learned`]) Bun.spawnSync(["cp", join(dir, f), join(dir, `${map}-copy${f.slice(map.length)}`)]);
      const copy = `${map}-copy`;
      if (learned) {
        const state = parseLearned(readFileSync(join(dir, `${copy}.learned`), "utf8"), SIZE, 512) as LearnedState;
        learned(state);
        writeFileSync(join(dir, `${copy}.learned`), JSON.stringify(state));
      } else Bun.spawnSync(["rm", join(dir, `${copy}.learned`)]);
      Bun.spawnSync(["cp", join(dir, `${map}.bin`), join(dir, `${copy}.bin`)]);
      expect(rescue(dir, copy, ["--log-reads", `${copy}.log`]).code).toBe(1);
      const reads = readFileSync(join(dir, `${copy}.log`), "utf8").split("\n").filter((l) => l.startsWith("0x")).map((l) => l.split("\t"));
      const failed = reads.findIndex((r) => r[3] !== "0");
      expect(reads[failed]![0]).toBe("0x000F0000");
      return parseInt(reads[failed + 1]![0]!, 16) - 0x100000;
    };
    expect(await interrupted(dir, "f")).toBe(130);
    const status = readFileSync(join(dir, "f"), "latin1").match(/^0x([0-9A-Fa-f]+)\s+(\S)\s+(\d+)/m)!;
    expect(status[2]).toBe("?");
    expect(parseInt(status[1]!, 16)).toBeLessThan(0xf0000);
    // Learned: areas of 96 KiB. The first skip jumps that far; relearning, one cluster.
    const taught = firstSkipAfterDamage("f", (s) => Object.assign(s.pass1!.learner, { areas: [98304], reaches: [98304], measured: 1 }));
    expect(taught).toBe(98304);
    expect(firstSkipAfterDamage("f", null)).toBe(65536);
  });

  test("a damaged file: one note, the run goes on, and the file is replaced", async () => {
    expect(await interrupted(dir, "b")).toBe(130);
    writeFileSync(join(dir, "b.learned"), "{");
    const resumed = rescue(dir, "b");
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain("salvage: not using 'b.learned': not valid JSON");
    expect(typeof parseLearned(readFileSync(join(dir, "b.learned"), "utf8"), SIZE, 512)).toBe("object");
    expect(mapBlocks(join(dir, "b"))).toEqual(mapBlocks(join(dir, "ref")));
  });

  test("a symlink planted there is not followed, and what it points at is untouched", async () => {
    expect(await interrupted(dir, "c")).toBe(130);
    writeFileSync(join(dir, "precious"), "keep me");
    const planted = JSON.stringify({ ...valid, pass1: null });
    writeFileSync(join(dir, "planted.json"), planted);
    Bun.spawnSync(["rm", "-f", join(dir, "c.learned")]);
    symlinkSync(join(dir, "planted.json"), join(dir, "c.learned"));
    const resumed = rescue(dir, "c");
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain("salvage: not using 'c.learned': cannot open it (ELOOP)");
    expect(readFileSync(join(dir, "planted.json"), "utf8")).toBe(planted);
    expect(readFileSync(join(dir, "precious"), "utf8")).toBe("keep me");
  });

  test("beside a new map an old file is stale: not read, and replaced", () => {
    writeFileSync(join(dir, "d.learned"), "{");
    expect(existsSync(join(dir, "d"))).toBe(false);
    const run = rescue(dir, "d");
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain("not using");
    expect(typeof parseLearned(readFileSync(join(dir, "d.learned"), "utf8"), SIZE, 512)).toBe("object");
  });
});

test("a source named like the map's learned state is refused before anything is written", () => {
  const dir = scratch.path;
  makeTestDisk(dir, 32, SIZE);
  writeFileSync(join(dir, "e.learned"), readFileSync(join(dir, "in.bin")));
  const p = Bun.spawnSync([...salvageCommand(), "rescue", "e.learned", "e.bin", "e", "--test-mode", "test.map", "-q"], { cwd: dir, stdin: "ignore" });
  expect(p.exitCode).toBe(2);
  expect(p.stderr.toString()).toContain("the mapfile's learned state 'e.learned' and the source 'e.learned' are the same file");
  expect(readFileSync(join(dir, "e.learned"))).toEqual(readFileSync(join(dir, "in.bin")));
  expect(existsSync(join(dir, "e"))).toBe(false);
});
