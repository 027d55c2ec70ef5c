// `salvage rescue` refusals (one line, exit 2) and the options a ddrescue user relies on.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary, salvageBinary, scratchDir } from "../helpers/binary.ts";
import { makeTestDisk, salvageCommand } from "./cli-helpers.ts";

const scratch = scratchDir("rescue-cli");
afterAll(() => scratch.cleanup());
const dir = scratch.path;
makeTestDisk(dir, 5, 1 << 20);

function salvage(args: string[]) {
  const p = Bun.spawnSync([...salvageCommand(), ...args], { cwd: dir, stdin: "ignore", env: { ...process.env, NO_COLOR: "1" } });
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

describe("salvage rescue refuses what ddrescue refuses, in one line", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["a device without --force", ["rescue", "in.bin", "/dev/null", "m1"], /not a regular file; use --force/],
    ["source = destination", ["rescue", "in.bin", "in.bin", "m2"], /same file/],
    ["mapfile = source", ["rescue", "in.bin", "o.bin", "in.bin"], /the mapfile .* and the source .* are the same file/],
    ["a malformed mapfile", ["rescue", "in.bin", "o.bin", "garbage.map"], /garbage\.map: line 1:/],
    ["a missing source", ["rescue", "nope.bin", "o.bin", "m3"], /cannot open 'nope\.bin'/],
    ["a map with finished data past the source's end", ["rescue", "in.bin", "o.bin", "long.map"], /past the end/],
    ["a map with rescued data but no destination", ["rescue", "in.bin", "missing.bin", "half.map"], /does not exist: wrong destination/],
    ["a map with rescued data beyond the destination's end", ["rescue", "in.bin", "short.bin", "half.map"], /has only 100 bytes/],
  ];
  writeFileSync(join(dir, "garbage.map"), "hello world\n");
  writeFileSync(join(dir, "long.map"), "0 + 1\n0 0x200000 +\n");
  writeFileSync(join(dir, "half.map"), "0 ? 1\n0 0x1000 +\n0x1000 0xFF000 ?\n");
  writeFileSync(join(dir, "short.bin"), new Uint8Array(100));
  for (const [name, args, msg] of cases) {
    test(name, () => {
      const r = salvage(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split("\n")).toHaveLength(1);
    });
  }

  test("--force writes onto a character device (/dev/null) and saves the map", () => {
    const r = salvage(["rescue", "in.bin", "/dev/null", "null.map", "--test-mode", "test.map", "--force", "-q"]);
    expect(r.code).toBe(1); // bad sectors remain
    expect(readFileSync(join(dir, "null.map"), "latin1")).toMatch(/^0x[0-9A-F]{8}  0x[0-9A-F]{8}  -$/m);
  });
});

describe("options", () => {
  test("--sparse leaves zero blocks unwritten but the file full length; --fill-mode marks bad sectors", () => {
    const data = new Uint8Array(1 << 20);
    data.fill(7, 0, 4096);
    data.fill(9, 900 * 1024);
    writeFileSync(join(dir, "zeros.bin"), data);
    expect(salvage(["rescue", "zeros.bin", "sparse.bin", "sparse.map", "--sparse", "-q"]).code).toBe(0);
    const st = statSync(join(dir, "sparse.bin"));
    expect(st.size).toBe(1 << 20);
    expect(st.blocks * 512).toBeLessThan(400 * 1024);
    expect(Buffer.compare(readFileSync(join(dir, "sparse.bin")), data)).toBe(0);

    expect(salvage(["rescue", "in.bin", "filled.bin", "filled.map", "--test-mode", "test.map", "--fill-mode", "-", "--mark", "BAD-HERE", "-q"]).code).toBe(1);
    const img = readFileSync(join(dir, "filled.bin"), "latin1");
    const map = readFileSync(join(dir, "filled.map"), "latin1");
    const firstBad = /^(0x[0-9A-F]{8})  0x[0-9A-F]{8}  -$/m.exec(map)![1]!;
    const pos = Number(firstBad);
    expect(img.slice(pos, pos + 64)).toStartWith(`\n# position ${firstBad} status - BAD-HERE`);
  });

  test("--json writes one parseable event per line: phases, read errors, status, finished", () => {
    const r = salvage(["rescue", "in.bin", "json.bin", "json.map", "--test-mode", "test.map", "--json"]);
    const events = r.out.trim().split("\n").map((l) => JSON.parse(l));
    const kinds = new Set(events.map((e) => e.event));
    for (const k of ["phase", "read-error", "status", "finished"]) expect(kinds.has(k)).toBe(true);
    const last = events.filter((e) => e.event === "status").pop();
    expect(last.badAreas).toBeGreaterThan(0);
    expect(last.pct).toBeLessThan(100);
  });

  test("--domain: only the finished blocks of the domain map are read", () => {
    writeFileSync(join(dir, "dom.map"), "0 + 1\n0 0x10000 ?\n0x10000 0x20000 +\n");
    // Everything asked for (the domain) was rescued: exit 0 although the rest is untried.
    expect(salvage(["rescue", "in.bin", "dom.bin", "dom.map2", "--domain", "dom.map", "-q"]).code).toBe(0);
    const map = readFileSync(join(dir, "dom.map2"), "latin1");
    expect(map).toMatch(/^0x00000000  0x00010000  \?$/m);
    expect(map).toMatch(/^0x00010000  0x00020000  \+$/m);
  });
});

describe("--direct and --min-read-rate", () => {
  test("--direct (O_DIRECT) copies a file whose size is not a multiple of the sector size", () => {
    const data = new Uint8Array((1 << 20) + 700).map((_, i) => (i * 7 + 1) & 255 || 1);
    writeFileSync(join(dir, "odd.bin"), data);
    const r = salvage(["rescue", "odd.bin", "odd.out", "odd.map", "--direct", "-q"]);
    if (r.code !== 0 && /Invalid argument|EINVAL/.test(r.err)) {
      console.warn(`skipped: the scratch filesystem refuses O_DIRECT (${r.err.trim()})`);
      return;
    }
    expect(r.code).toBe(0);
    expect(Buffer.compare(readFileSync(join(dir, "odd.out")), data)).toBe(0);
    expect(readFileSync(join(dir, "odd.map"), "latin1")).toMatch(/^0x00000000  0x001002BC  \+$/m);
  });
});

test("ddrescue's -n and -N mean --no-scrape and --no-trim", () => {
  const body = (m: string) => readFileSync(join(dir, m), "latin1").replace(/^#.*\n/gm, "");
  for (const [short, long] of [["-n", "--no-scrape"], ["-N", "--no-trim"]]) {
    salvage(["rescue", short!, "in.bin", `s${short}.bin`, `s${short}.map`, "--test-mode", "test.map", "-q"]);
    salvage(["rescue", long!, "in.bin", `l${short}.bin`, `l${short}.map`, "--test-mode", "test.map", "-q"]);
    expect(body(`s${short}.map`)).toBe(body(`l${short}.map`));
  }
  // and they differ from a default run, so the flags did something
  salvage(["rescue", "in.bin", "d.bin", "d.map", "--test-mode", "test.map", "-q"]);
  expect(body("s-n.map")).not.toBe(body("d.map"));
});

describe("option values that make no sense are refused with one line", () => {
  for (const [opt, message] of [
    ["--cluster", "salvage: --cluster: '0' is out of range: accepted one sector to 64.0 MiB"],
    ["-c", "salvage: --cluster-size: '0' is out of range: accepted 1 to 131072 sectors of 512 bytes (64.0 MiB)"],
  ]) {
    test(`${opt} 0`, () => {
      const d = scratchDir("cluster0");
      const src = join(d.path, "src.img");
      writeFileSync(src, new Uint8Array(8192).fill(7));
      const r = runBinary([salvageBinary(), "rescue", opt!, "0", src, join(d.path, "out.img"), join(d.path, "out.map")]);
      d.cleanup();
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(message!);
    });
  }
});
