// The runner-facing adapter on things that are not drives: nothing printed, nothing changed.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CliLowLevel, debugBitsFromArgv } from "../../src/devices/cli-low-level.ts";
import { MemorySource } from "../../src/io/memory-source.ts";

const dir = mkdtempSync(join(tmpdir(), "salvage-devices-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a regular file gets plain reads and no messages", () => {
  const file = join(dir, "image");
  writeFileSync(file, new Uint8Array(4096).fill(3));
  const out: string[] = [];
  const ll = new CliLowLevel((t) => out.push(t), 255);
  expect(ll.probe(file)).toEqual({});
  expect(ll.canSeek()).toBe(false);
  const buf = new Uint8Array(512);
  expect(ll.read(new MemorySource(new Uint8Array(1024).fill(5)), buf, 512, 0)).toBe(512);
  expect(buf[0]).toBe(5);
  ll.afterReadError();
  expect(out).toEqual([]);
});

test("a path that cannot be opened is left to the runner to report", () => {
  const out: string[] = [];
  const ll = new CliLowLevel((t) => out.push(t), 255);
  expect(ll.probe(join(dir, "missing"))).toEqual({});
  expect(out).toEqual([]);
});

test("--debug is read as safecopy does: the value after the exact option, last one wins", () => {
  expect(debugBitsFromArgv(["-L", "1", "--debug", "2", "src", "dst"])).toBe(2);
  expect(debugBitsFromArgv(["--debug", "1", "--debug", "255", "a", "b"])).toBe(255);
  expect(debugBitsFromArgv(["--debug=2", "a", "b"])).toBe(0);
  expect(debugBitsFromArgv(["a", "b"])).toBe(0);
});
