// CI-sized fuzzing of the partition-table readers (the long campaign is
// `bun scripts/fuzz-partitions.ts`): mutated tables give partitions and one-line notes, never an
// exception, a hang or an unbounded read.
import { expect, test } from "bun:test";
import { fuzzPartitions, loadDisks } from "../../scripts/fuzz-partitions.ts";
import { partitionFixtureDir } from "./fixtures.ts";

test("3000 mutated tables: no exception, sane partitions, bounded time and reads", () => {
  const r = fuzzPartitions(loadDisks(partitionFixtureDir), 3000, 20261129);
  expect(r.failures).toEqual([]);
  expect(r.withTable).toBeGreaterThan(1000); // the mutations mostly leave a table to decode
  expect(r.notes).toBeGreaterThan(100); // ...and do reach the checks
  expect(r.slowest).toBeLessThan(1000);
  // A whole GPT array is at most 8 MiB (gpt.ts MAX_ARRAY_BYTES), read once per copy, plus sectors.
  expect(r.mostRead).toBeLessThan(20 << 20);
});
