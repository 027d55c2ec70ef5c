// salvage copy starts writeback of what it has written while it is still copying, so the
// final fdatasync (before "Done!") has little left and a crash mid-rescue loses little.
import { afterAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary, salvageBinary, scratchDir } from "../helpers/binary.ts";
import { missing, peer, skipBecause } from "../helpers/needs.ts";

const dir = scratchDir("writeback");
afterAll(() => dir.cleanup());

test.skipIf(skipBecause(missing("strace")))("writeback is started per written MiB and the data is synced before Done!", () => {
  const src = join(dir.path, "src.bin");
  const dst = join(dir.path, "dst.bin");
  const data = new Uint8Array(8 << 20).map((_, i) => (i * 13 + 7) & 0xff);
  writeFileSync(src, data);
  const log = join(dir.path, "trace");
  const r = runBinary([peer("strace")!, "-f", "-o", log, "-e", "trace=sync_file_range,fdatasync", salvageBinary(), "copy", src, dst]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("Done!");
  expect(Buffer.from(readFileSync(dst)).equals(Buffer.from(data))).toBe(true);
  const trace = readFileSync(log, "utf8");
  const starts = trace.split("\n").filter((l) => /sync_file_range\(.*SYNC_FILE_RANGE_WRITE\) = 0/.test(l));
  expect(starts.length).toBeGreaterThanOrEqual(8); // one per MiB written
  expect(trace).toMatch(/fdatasync\(\d+\) += 0/);
});

test.skipIf(skipBecause(missing("strace")))("a destination that refuses writeback (/dev/null) is not asked again on every flush", () => {
  const src = join(dir.path, "src-null.bin");
  writeFileSync(src, new Uint8Array(8 << 20).fill(1));
  const log = join(dir.path, "trace-null");
  const r = runBinary([peer("strace")!, "-f", "-o", log, "-e", "trace=sync_file_range,pwrite64", salvageBinary(), "copy", src, "/dev/null"]);
  expect(r.code).toBe(0);
  const trace = readFileSync(log, "utf8").split("\n");
  expect(trace.filter((l) => /pwrite64\(/.test(l)).length).toBeGreaterThanOrEqual(8); // one flush per MiB
  expect(trace.filter((l) => /sync_file_range\(/.test(l))).toHaveLength(1);
});
