// A directory given as the source: one line saying so, exit 2, nothing written. (rescue
// said "pipes are not supported"; copy "copied" 16 blocks into an empty file, and safecopy
// 1.7 itself reads a directory forever: docs/compat.md §12.9.)
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { runBinary, scratchDir } from "../helpers/binary.ts";

const dir = scratchDir("dir-source");
afterAll(() => dir.cleanup());
mkdirSync(join(dir.path, "d"));
const salvage = (...argv: string[]) => runBinary([process.execPath, join(import.meta.dir, "../../src/main.ts"), ...argv], { cwd: dir.path });

test("rescue: 'is a directory', exit 2, no image or map", () => {
  const r = salvage("rescue", "d", "out.img", "out.map");
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toContain("is a directory");
  expect(existsSync(join(dir.path, "out.img")) || existsSync(join(dir.path, "out.map"))).toBe(false);
});

test("copy: safecopy's open error 'Is a directory', exit 2, no destination", () => {
  const r = salvage("copy", "d", "out.dat");
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("Error opening sourcefile: d : Is a directory");
  expect(r.stdout).not.toContain("copied");
  expect(existsSync(join(dir.path, "out.dat"))).toBe(false);
});
