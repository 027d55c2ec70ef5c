// A run on a drive an earlier run has met starts from what that run learned about it
// (RescueContext.learnFrom; rescue --used-first runs the engine once per stage and round):
// a drive shown to report errors per sector has a failed read's first sector marked bad
// at once, where a context meeting the drive anew learns nothing from that failure.
import { expect, test } from "bun:test";
import { Domain } from "../../src/rescue/mapfile/domain.ts";
import { RescueContext } from "../../src/rescue/mapfile/context.ts";
import { resolveOptions } from "../../src/rescue/mapfile/options.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { MemorySource } from "../../src/io/memory-source.ts";
import { MemoryTarget, randomData } from "./helpers.ts";

test("learnFrom: per-sector error reporting and the cost of a failed read carry over", () => {
  const size = 1 << 20;
  // Sector 10 stops a read short off a page boundary (per-sector errors); sector 601 is where
  // a later run's large read starts.
  const source = new MemorySource(randomData(size), { bad: [[10 * 512, 11 * 512], [601 * 512, 602 * 512]] });
  const context = () => new RescueContext(source, new MemoryTarget(size), new StatusMap(size), Domain.whole(size), resolveOptions({}, size, 512));
  const earlier = context();
  expect(earlier.read(0, 65536)).toBe(10 * 512);
  expect(earlier.perSectorErrors).toBe(true);
  earlier.read(601 * 512, 65536);

  const fresh = context();
  expect(fresh.read(601 * 512, 65536)).toBeLessThan(0);
  expect(fresh.firstSectorBad).toBe(false);
  expect(fresh.map.statusAt(601 * 512)).not.toBe("-");

  const taught = context();
  taught.learnFrom(earlier);
  expect(taught.partialReads).toBe(true);
  expect(taught.failMs).toBe(earlier.failMs);
  expect(taught.read(601 * 512, 65536)).toBeLessThan(0);
  expect(taught.firstSectorBad).toBe(true);
  expect(taught.map.statusAt(601 * 512)).toBe("-");
});
