// Recovered files are created in OUTDIR with one foreign-symlink check of the directory
// (not one per file): a directory reached through another user's symbolic link is still
// refused, and nothing is created behind it.
import { expect, test } from "bun:test";
import { lchownSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { RecoveredFile } from "../../src/carve/reassemble.ts";
import { writeRecovered } from "../../src/carve/recovered-files.ts";
import { skipBecause } from "../helpers/needs.ts";
import { scratchDir } from "./fixtures.ts";

const text = new TextEncoder().encode("hello, recovered world\n".padEnd(1024, "."));
const file: RecoveredFile = {
  units: [{ id: 0, start: 5, count: 1, bytes: 1024, nulEnd: true, runStart: true, next: null, cont: null, hasPred: false }],
  complete: true, bytes: 1024, confidence: 1, cuts: [],
};
const options = (prefix: string) => ({ prefix, fsize: 1024, base: 0, encoding: "utf8", read: () => text });

test("files are written and given their final names; the report entry names them", () => {
  const dir = join(scratchDir(), "recovered-ok");
  mkdirSync(dir, { recursive: true });
  const entries = writeRecovered([file], options(join(dir, "piece")));
  expect(entries.map((e) => e.file)).toEqual(["piece0001"]);
  expect(readdirSync(dir)).toEqual(["piece0001"]);
});

test.skipIf(skipBecause(process.getuid?.() !== 0 && "lchown to another user needs root"))("a directory reached through another user's symbolic link is refused", () => {
  const base = join(scratchDir(), "recovered-foreign");
  const real = join(base, "real");
  mkdirSync(real, { recursive: true });
  const link = join(base, "link");
  symlinkSync(real, link);
  lchownSync(link, 54321, 54321);
  expect(() => writeRecovered([file], options(join(link, "piece")))).toThrow(/symbolic link owned by another user/);
  expect(readdirSync(real)).toEqual([]);
});
