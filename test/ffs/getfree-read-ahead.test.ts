// The compiled binary finds its reader thread (src/io/read-pool.ts, embedded by
// scripts/build.ts as a second entrypoint): on a slow image, getfree's chunk reads come from
// two threads, through the shim's pread, so the simulator sees every one of them, and the
// output is the same as a run without the simulator.
import { expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary, salvageBinary } from "../helpers/binary.ts";
import { missing, peer, skipBecause } from "../helpers/needs.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { scratchDir } from "./fixtures.ts";
import { manyDeletedRecipe, recordedMany, type ManyDeleted } from "./makefs-cases.ts";

const many = loadOracle<ManyDeleted>(manyDeletedRecipe.name);

test.skipIf(skipBecause(missing("strace")))("getfree reads its chunks on two threads, all of them through the simulator", () => {
  const dir = scratchDir();
  // The recorded makefs image of 60 deleted files (makefs-cases.ts), 8 MiB.
  const image = recordedMany(recorded(many, manyDeletedRecipe.name, "le")).image;
  const bin = salvageBinary();
  const plain = runBinary([bin, "getfree", image, "-o", join(dir, "plain")]);
  expect(plain.code).toBe(0);
  // Every 1 MiB read sleeps about 0.2 s: the reader thread has started long before the walk ends.
  const damage = join(dir, "slow.damage");
  writeFileSync(damage, "slow 0-16383 100us\n");
  const stats = join(dir, "stats.json");
  const log = join(dir, "read-ahead.trace");
  const r = runBinary([peer("strace")!, "-f", "-o", log, "-e", "trace=pread64", bin, "simulate", "--image", image, "--damage", damage, "--sleep-scale", "1", "--stats", stats, "--", bin, "getfree", image, "-o", join(dir, "simulated")]);
  expect(r.code).toBe(0);
  expect(readFileSync(join(dir, "simulated")).equals(readFileSync(join(dir, "plain")))).toBe(true);
  // Chunk reads (larger than any structure getfree reads), by thread id.
  const chunkReads = readFileSync(log, "utf8").split("\n").filter((l) => /pread64\(\d+, .*, (\d+), \d+\) = \d+$/.test(l) && Number(/, (\d+), \d+\) =/.exec(l)![1]) >= 65536);
  const threads = new Set(chunkReads.map((l) => l.split(" ")[0]));
  expect(chunkReads.length).toBeGreaterThan(4);
  expect(threads.size).toBe(2);
  // The simulator counted every one of them.
  expect(JSON.parse(readFileSync(stats, "utf8")).reads).toBeGreaterThanOrEqual(chunkReads.length);
});
