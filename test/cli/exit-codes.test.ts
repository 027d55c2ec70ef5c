// docs/exit-codes.md, the cases issue 12 found wrong: a stop by -X/-T is not "finished with
// bad sectors"; a closed output pipe is not an error for a dumper (getfree | head) and does
// not change a completed rescue's code (rescue --json | head).
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../helpers/binary.ts";
import { fixturePath } from "../ffs/fixtures.ts";

const dir = scratchDir("exit-codes");
afterAll(() => dir.cleanup());
const main = join(import.meta.dir, "../../src/main.ts");
const SIZE = 1 << 20;
writeFileSync(join(dir.path, "in.bin"), new Uint8Array(SIZE).fill(0x5a));
// Test mode: everything readable but 64 KiB in the middle (the rescue meets read errors).
writeFileSync(join(dir.path, "test.map"), `0 + 1\n0 0x80000 +\n0x80000 0x10000 -\n0x90000 0x70000 +\n`);

/** Run salvage through `sh -c` so its stdout can be piped into a reader that quits. */
function shell(script: string): { code: number; err: string } {
  const p = Bun.spawnSync(["sh", "-c", script], { cwd: dir.path, env: { ...process.env, S: `${process.execPath} ${main}`, NO_COLOR: "1" }, stdin: "ignore" });
  const [code, ...err] = p.stdout.toString().trim().split("\n").reverse();
  return { code: Number(code), err: p.stderr.toString() + err.join("\n") };
}

describe("exit codes (docs/exit-codes.md)", () => {
  test("a rescue stopped by --max-errors exits 2 with one line saying so, not 1", () => {
    const r = shell(`$S rescue -q -X 0 --test-mode test.map in.bin x.bin x.map; echo $?`);
    expect(r.code).toBe(2);
    expect(r.err).toContain("salvage: rescue stopped:");
  });

  test("the same rescue run to the end with bad sectors exits 1", () => {
    expect(shell(`$S rescue -q --test-mode test.map in.bin y.bin y.map; echo $?`).code).toBe(1);
  });

  test("rescue --json into a reader that quits: the rescue completes, exit 0, no trace", () => {
    const r = shell(`($S rescue --json in.bin z.bin z.map; echo $? >&3) 3>&1 | head -c 10 >/dev/null`);
    expect(r.err).not.toContain("EPIPE");
    expect(r.code).toBe(0);
  });

  test("getfree FS | head -c 10: exit 0, nothing on stderr about the pipe", () => {
    const img = fixturePath("ffs.bin.gz");
    const r = shell(`($S getfree --keep-uniform '${img}'; echo $? >&3) 3>&1 | head -c 10 >/dev/null`);
    expect(r.err).not.toContain("EPIPE");
    expect(r.code).toBe(0);
  });

  test("map list into a reader that quits: exit 0", () => {
    writeFileSync(join(dir.path, "bad.map"), `0 + 1\n0 0x400000 -\n`);
    const r = shell(`($S map list bad.map -t - -b 1; echo $? >&3) 3>&1 | head -c 10 >/dev/null`);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  });
});
