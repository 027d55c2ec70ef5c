// `salvage rescue` with ddrescue's options, through the binary: -c counts sectors, -b sets
// the sector size, bad values name the accepted forms, -t and -p refuse what would lose
// data or fail later, --ask asks, and the logs are appended/kept apart from the other files.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isRoot, salvageBinary, scratchDir } from "../helpers/binary.ts";
import { skipBecause } from "../helpers/needs.ts";
import { randomData } from "./helpers.ts";

const scratch = scratchDir("rescue-options");
afterAll(() => scratch.cleanup());
const dir = scratch.path;
const at = (f: string) => join(dir, f);

function salvage(args: string[], stdin?: string): { code: number; stderr: string } {
  const p = Bun.spawnSync([salvageBinary(), "rescue", ...args], { cwd: dir, stdin: stdin === undefined ? "ignore" : Buffer.from(stdin), env: { ...process.env, NO_COLOR: "1" } });
  return { code: p.exitCode ?? 128, stderr: p.stderr.toString() };
}

/** 1 MiB of data; the test map makes [256 KiB, 257 KiB) unreadable. */
writeFileSync(at("in.bin"), randomData(1 << 20, 3));
writeFileSync(at("test.map"), "0 + 1\n0x0 0x40000 +\n0x40000 0x400 -\n0x40400 0xBFC00 +\n");

/** Sizes of the reads in a --log-reads file. */
const readSizes = (path: string) => readFileSync(path, "latin1").split("\n").filter((l) => l.startsWith("0x")).map((l) => Number(l.split("\t")[1]));

describe("-c counts sectors, -b sets the sector", () => {
  test("-c 128 reads 64 KiB clusters near damage (it once made 512-byte reads), -c 4 reads 2 KiB", () => {
    expect(salvage(["-q", "-H", "test.map", "-c", "128", "--log-reads=c128.log", "-n", "in.bin", "c128.bin", "c128.map"]).code).toBe(1);
    const big = readSizes(at("c128.log"));
    // Bytes read as 512-byte reads would be 2048 reads; 64 KiB clusters copy the 1 MiB in 16.
    expect(big.length).toBeLessThan(200);
    expect(big.filter((n) => n === 65536).length).toBeGreaterThanOrEqual(10);
    expect(salvage(["-q", "-H", "test.map", "-c", "4", "--log-reads=c4.log", "-n", "in.bin", "c4.bin", "c4.map"]).code).toBe(1);
    const small = readSizes(at("c4.log"));
    expect(small).toContain(2048);
    expect(Math.max(...small.filter((n) => n < 65536))).toBe(2048);
  });
  test("-b 4096: trimming and scraping read 4 KiB sectors, and the bad area is one 4 KiB sector", () => {
    expect(salvage(["-q", "-H", "test.map", "-b", "4096", "--log-reads=b.log", "in.bin", "b.bin", "b.map"]).code).toBe(1);
    const sizes = readSizes(at("b.log"));
    expect(sizes.every((n) => n % 4096 === 0)).toBe(true);
    expect(readFileSync(at("b.map"), "latin1")).toContain("0x00040000  0x00001000  -");
  });
  test("-c and --cluster together are refused", () => {
    const r = salvage(["-c", "128", "--cluster", "64Ki", "in.bin", "cc.bin", "cc.map"]);
    expect(r.code).toBe(2);
    expect(existsSync(at("cc.bin"))).toBe(false);
  });
});

describe("a bad value says which forms are accepted", () => {
  const cases: [string[], string][] = [
    [["-i", "1K"], "salvage: --input-position: not a number: '1K'; accepted: a whole number (decimal, 0x hex or 0 octal), optionally followed by k M G T P E (powers of 1000) or Ki Mi Gi Ti Pi Ei (powers of 1024), then s (sectors) or B; e.g. 4096, 64Ki, 1MiB, 8s, 0x100000"],
    [["-c", "4096s"], "salvage: --cluster-size: not a number: '4096s'; accepted: a whole number (decimal, 0x hex or 0 octal), optionally followed by k M G T P E (powers of 1000) or Ki Mi Gi Ti Pi Ei (powers of 1024); e.g. 128, 64Ki, 0x80"],
    [["-T", "1/3"], "salvage: --timeout: not an interval: '1/3'; accepted: a number of seconds, or N.N or N/N followed by s m h d (seconds, minutes, hours, days) giving whole seconds; e.g. 30, 90s, 1.5m, 1/2h, 2d"],
    [["--cpass", "6"], "salvage: --cpass: not a pass or range of passes: '6'; accepted: 0 (no copying), or passes 1 to 5 and ranges, e.g. 1, 2-4, 1,3-5"],
    [["-i", "2Mi"], "salvage: --input-position: 2097152 is past the end of 'in.bin' (1048576 bytes)"],
  ];
  for (const [opts, message] of cases) {
    test(opts.join(" "), () => {
      const r = salvage([...opts, "in.bin", "bad.bin", "bad.map"]);
      expect(r.stderr).toBe(`${message}\n`);
      expect(r.code).toBe(2);
      expect(existsSync(at("bad.bin"))).toBe(false);
    });
  }
});

describe("-t, -p", () => {
  test("-t is refused when the mapfile records rescued data (it would empty the image)", () => {
    expect(salvage(["-q", "-s", "4Ki", "in.bin", "t.bin", "t.map"]).code).toBe(0);
    const r = salvage(["-q", "-t", "in.bin", "t.bin", "t.map"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--truncate would empty 't.bin'");
    expect(readFileSync(at("t.bin")).length).toBe(4096);
  });
  test.skipIf(skipBecause(!isRoot && "needs root to mount a small tmpfs"))("-p finds a destination too small before the first read", () => {
    const mnt = at("small");
    Bun.spawnSync(["mkdir", "-p", mnt]);
    expect(Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt]).exitCode).toBe(0);
    try {
      const r = salvage(["-q", "-p", "--log-reads=p.log", "in.bin", "small/p.bin", "p.map"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--preallocate: cannot reserve 1048576 bytes");
      expect(existsSync(at("p.log"))).toBe(false);
      expect(existsSync(at("p.map"))).toBe(false);
    } finally {
      Bun.spawnSync(["umount", mnt]);
    }
  });
});

describe("--ask", () => {
  test("shows both sides and goes on only on 'y'", () => {
    const no = salvage(["-q", "--ask", "-s", "4Ki", "in.bin", "ask.bin", "ask.map"], "n\n");
    expect(no.code).toBe(2);
    expect(no.stderr).toContain("from 'in.bin' (1048576)");
    expect(no.stderr).toContain("to 'ask.bin' (does not exist yet)");
    expect(no.stderr).toContain("Proceed (y/N)? ");
    expect(existsSync(at("ask.bin"))).toBe(false);
    expect(salvage(["-q", "--ask", "-s", "4Ki", "in.bin", "ask.bin", "ask.map"], "y\n").code).toBe(0);
    expect(readFileSync(at("ask.bin")).length).toBe(4096);
  });
});

describe("log files", () => {
  test("--log-events appends to an existing file; --log-rates and --log-reads replace theirs", () => {
    for (let k = 0; k < 2; k++) expect(salvage(["-q", "-s", "4Ki", "--log-events=ev.log", "--log-rates=r.log", "in.bin", `l${k}.bin`, `l${k}.map`]).code).toBe(0);
    expect(readFileSync(at("ev.log"), "latin1").match(/^# Events Logfile/gm)!.length).toBe(2);
    expect(readFileSync(at("r.log"), "latin1").match(/^# Rates Logfile/gm)!.length).toBe(1);
  });
  test("a log file that is the mapfile or the source is refused before anything is written", () => {
    const r = salvage(["-q", "--log-reads=lm.map", "in.bin", "lm.bin", "lm.map"]);
    expect(r.code).toBe(2);
    expect(existsSync(at("lm.bin"))).toBe(false);
    expect(salvage(["-q", "--log-rates=in.bin", "in.bin", "ls.bin", "ls.map"]).code).toBe(2);
    expect(readFileSync(at("in.bin")).length).toBe(1 << 20);
  });
});
