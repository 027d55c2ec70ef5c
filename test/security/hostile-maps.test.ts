// Crafted damage files, safecopy simulator.cfg files and ddrescue mapfiles (issue 11,
// item 15 and the adversarial suite): each is refused in one line with exit 2, or used
// within bounds (clamped to the device), in bounded time and memory.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../helpers/binary.ts";
import { expectContained, expectOneLineError, runMeasured } from "./hostile-run.ts";

const scratch = scratchDir("hostile-maps");
afterAll(() => scratch.cleanup());
// Each run may take up to the time limit (TIME_LIMIT_MS) before the assertions fail.
setDefaultTimeout(60_000);
let n = 0;
function save(data: string | Uint8Array): string {
  const p = join(scratch.path, `in${n++}`);
  writeFileSync(p, data);
  return p;
}
const image = save(new Uint8Array(1 << 20));
const simulate = (damage: string) => runMeasured(["simulate", "--image", image, "--damage", damage, "--", "true"]);

/** Bytes no text file should hold: NUL, ESC sequences, raw and UTF-8 C1 CSI, invalid UTF-8. */
function garbage(size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = 2463534242;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out.set([0x1b, 0x5d, 0x30, 0x3b, 0x78, 0x07, 0x9b, 0x32, 0x4a, 0xc2, 0x9b], 0);
  return out;
}

/** One line of 100 MB without a newline. */
const hugeLine = (fill: string) => new TextEncoder().encode(fill.repeat(100_000_000 / fill.length));

describe("damage files for the simulator (item 15)", () => {
  test("a weak range of 10^9 sectors on a 1 MiB image is clamped to the image", () => {
    // Before: a counter per weak sector, 4 GB allocated (out of memory or an internal error).
    const r = simulate(save("salvage-damage 1\nweak 0-999999999 3\n"));
    expectContained(r, [0]);
  });

  test("10^9 weak sectors on a device that has them: one line, exit 2", () => {
    expectOneLineError(simulate(save("salvage-damage 1\nsize 1TiB\nweak 0-999999999 3\n")), /weak or soft sectors .* at most 16777216/);
  });

  test("simulator.cfg slow=3 5000: one line naming the line, not 'internal error: Not an integer'", () => {
    expectOneLineError(simulate(save("blocksize=512\nfilesize=1048576\nslow=3 5000\n")), /:3: 'slow': exponent 5000 is too large/);
  });

  test("simulator.cfg whose delay × 2^k overflows 64-bit nanoseconds: one line", () => {
    expectOneLineError(simulate(save("blocksize=512\nfilesize=1048576\ndelay=1000000000000\nslow=3 40\n")), /longer than the simulator can count/);
  });

  test("a duration too long for the state file: one line", () => {
    expectOneLineError(simulate(save("salvage-damage 1\ntiming read 99999999999999999999s\n")), /:2: duration too long/);
  });

  test("binary garbage as a damage file: one line, quoted content escaped and cut short", () => {
    const r = simulate(save(garbage(1 << 16)));
    // Damage files are UTF-8 text: bytes that are not become U+FFFD, controls are escaped.
    expectOneLineError(r, /unknown statement '\\x1b\]0;x\\x07\ufffd2J/);
    expect(r.stderr.length).toBeLessThan(400);
  });

  test("a 100 MB single-line damage file: one line, bounded memory", () => {
    expectOneLineError(simulate(save(hugeLine("bad "))), /is 100000000 bytes: at most 67108864/);
  });

  test("a 1 MB single-line damage file: one line, 'line longer than 4096 characters'", () => {
    expectOneLineError(simulate(save("salvage-damage 1\n" + "bad ".repeat(250_000))), /:2: line longer than 4096 characters/);
  });

  test("a million one-sector ranges: one line", () => {
    const lines = ["salvage-damage 1"];
    for (let i = 0; i < 2_000_000; i += 2) lines.push(`bad ${i}`);
    expectOneLineError(simulate(save(lines.join("\n"))), /more than 200000 lines.*--max-damage-lines/);
  });

  test("--max-damage-lines is an explicit, bounded opt-in", () => {
    const small = save("salvage-damage 1\nbad 1\nbad 3\nbad 5\n");
    const run = (limit: string) => runMeasured(["simulate", "--max-damage-lines", limit, "--image", image, "--damage", small, "--", "true"]);
    expectOneLineError(run("3"), /more than 3 lines/);
    expectOneLineError(run("4000001"), /--max-damage-lines is a whole number from 1 to 4000000/);
    expectOneLineError(run("1e9"), /--max-damage-lines is a whole number/);
    expectContained(run("5"), [0]);
  });

  test("200 000 ranges (about the most allowed) on a device that has them: used, bounded memory", () => {
    const lines = ["salvage-damage 1", "size 1GiB"];
    for (let i = 0; i < 399_990; i += 2) lines.push(`bad ${i}`);
    expectContained(simulate(save(lines.join("\n"))), [0]);
  });

  test("a ddrescue mapfile as damage, areas overlapping: one line", () => {
    expectOneLineError(simulate(save("0x0 +\n0x0 0x1000 -\n0x800 0x1000 +\n")), /area starts at 2048, expected 4096/);
  });

  test("a ddrescue mapfile as damage with an area of 2^53 bytes: clamped, runs", () => {
    expectContained(simulate(save("0x0 +\n0x0 0x1FFFFFFFFFFFFF -\n")), [0]);
  });
});

test("simulate from-timing on a million-read timing file: no 'Maximum call stack size exceeded'", () => {
  const lines: string[] = [];
  for (let i = 0; i < 1_000_000; i++) lines.push(`${String(i).padStart(10, "0")} 100 512`);
  const timing = save(lines.join("\n") + "\n");
  const r = runMeasured(["simulate", "from-timing", timing, save(""), "-b", "512", "-o", join(scratch.path, "from-timing.damage")]);
  expectContained(r, [0]);
});

describe("ddrescue mapfiles (map show, map convert)", () => {
  const show = (text: string | Uint8Array) => runMeasured(["map", "show", save(text)]);

  test("overlapping blocks: one line", () => {
    expectOneLineError(show("0x0 ? 1\n0x0 0x1000 +\n0x800 0x1000 -\n"), /line 3: block at 0x800 is overlapping or unsorted/);
  });

  test("unsorted blocks: one line", () => {
    expectOneLineError(show("0x0 ? 1\n0x1000 0x1000 +\n0x0 0x1000 -\n"), /line 2: block at 0x1000 is not contiguous/);
  });

  test("a block number past 2^53: one line", () => {
    expectOneLineError(show("0x0 ? 1\n0x0 0xFFFFFFFFFFFFFFFFFF +\n"), /number too large: '0xFFFFFFFFFFFFFFFFFF'/);
  });

  test("huge but valid blocks are summarised and drawn", () => {
    const r = runMeasured(["map", "show", save("0x0 ? 1\n0x0 0x10000000000000 +\n0x10000000000000 0xFFFFFFFFFFFFF -\n"), "--svg", join(scratch.path, "huge.svg")]);
    expectContained(r, [0]);
    expect(new TextDecoder().decode(r.stdout)).toMatch(/bad areas: 1/);
  });

  test("a 100 MB single-line mapfile: one line, bounded memory", () => {
    expectOneLineError(show(hugeLine("1")), /line 1: (bad status line|line longer than \d+ bytes)/);
  });

  test("a 100 MB number: one line, the number cut short", () => {
    const r = show(hugeLine("7").map((b, i) => (i === 99_999_999 ? 0x3f : i === 99_999_998 ? 0x20 : b)));
    expectOneLineError(r, /not a number|number too large|line longer than \d+ bytes/);
    expect(r.stderr.length).toBeLessThan(200);
  });

  test("binary garbage as a mapfile: one line", () => {
    expectOneLineError(show(garbage(1 << 16)), /line 1: bad status line/);
  });

  test("binary garbage after a valid status line: one line, the quoted bytes escaped", () => {
    const enc = new TextEncoder();
    const r = show(new Uint8Array([...enc.encode("0x0 ? 1\n"), ...garbage(11), ...enc.encode(" 0x10 +\n")]));
    expectOneLineError(r, /line 2: not a number: '\\x1b\]0;x\\x07\\x9b2J\\xc2\\x9b'/);
  });

  test("map convert of a 2^52-byte bad area to a bad-block list: one line, not 2^43 numbers", () => {
    const map = save("0x0 + 1\n0x0 0x10000000000000 -\n");
    expectOneLineError(runMeasured(["map", "convert", map, join(scratch.path, "list.txt")]), /more than \d+ blocks/);
  });

  test("map convert of a bad-block list with a block past 2^53 bytes: one line", () => {
    const list = save("1\n99999999999999999999999\n");
    expectOneLineError(runMeasured(["map", "convert", list, join(scratch.path, "out.map")]), /beyond 2\^53 bytes/);
  });
});
