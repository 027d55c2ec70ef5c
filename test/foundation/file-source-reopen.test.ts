// FileSource.openAgain: safecopy mode reopens the source after every failed read (three
// times per failed read with -Z 1) without asking what it is again. The reopened source
// must read the same file with the same options, keep the first open's shape, and report
// a vanished file as -errno rather than throw.
import { afterAll, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FileSource } from "../../src/io/file-source.ts";
import { scratchDir } from "../helpers/binary.ts";

const dir = scratchDir("file-source-reopen");
afterAll(() => dir.cleanup());

test("openAgain reads the same file on a new descriptor, with the first open's shape and options", () => {
  const path = join(dir.path, "image.bin");
  const data = new Uint8Array(8192).map((_, i) => (i * 7) & 255);
  writeFileSync(path, data);
  const first = new FileSource(path, { nonblock: true });
  const again = first.openAgain();
  if (typeof again === "number") throw new Error(`openAgain failed: ${again}`);
  expect(again.descriptor).not.toBe(first.descriptor);
  expect([again.size, again.seekable, again.sectorSize, again.alignment]).toEqual([8192, true, 512, 1]);
  expect(again.options).toBe(first.options);
  first.close();
  const buf = new Uint8Array(16);
  expect(again.read(buf, 16, 4096)).toBe(16);
  expect([...buf]).toEqual([...data.subarray(4096, 4112)]);
  again.close();
});

test("openAgain on a file that is gone answers -ENOENT", () => {
  const path = join(dir.path, "gone.bin");
  writeFileSync(path, new Uint8Array(512));
  const first = new FileSource(path);
  rmSync(path);
  expect(first.openAgain()).toBe(-2);
  first.close();
});
