// Differential test against safecopy's own simulator: Debian's safecopy, run under our
// preload library with each recorded scenario's simulator.cfg, must print exactly what it
// printed under upstream's simulator (stdout, exit code, bad-block lists), and our trace
// must show exactly the opens, seeks and reads upstream's simulator traced.
import { describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runSimulated } from "../../src/sim/run.ts";
import { sourcePreloadLibrary } from "../../src/sim/preload.ts";
import { scratchDir, writeImage } from "./helpers.ts";
import { missing, peer, skipBecause, usesRecording } from "../helpers/needs.ts";

const golden = join(import.meta.dir, "../fixtures/safecopy-golden");
const scenarios = readdirSync(golden).filter((d) => /^s\d+/.test(d)).sort();
usesRecording("safecopy 1.7 golden runs under upstream's simulator (test/fixtures/safecopy-golden)");
const live = peer("safecopy");
const root = scratchDir("golden");
// Debian safecopy is the program under test here (the simulator must show it exactly what
// upstream's simulator showed it), so this needs it live; salvage copy on the same recorded
// scenarios is safecopy/golden.test.ts, which always runs.
describe.skipIf(skipBecause(missing("safecopy") && `${missing("safecopy")}: it is the workload whose calls the simulator must trace (salvage copy on these scenarios: test/safecopy/golden.test.ts)`))("safecopy-golden s* scenarios replay under our simulator", () => {
  const safecopy = live;
  for (const name of scenarios) {
    test(name, async () => {
      const src = join(golden, name);
      const dir = join(root, name);
      mkdirSync(dir);
      const files = readFileSync(join(src, "files.txt"), "utf8").trim().split("\n").map((l) => l.split(" "));
      for (const [, size, kind, file] of files) {
        if (kind !== "input") continue;
        if (file === "test.dat") writeImage(join(dir, file), Number(size), 7);
        else copyFileSync(join(src, file!), join(dir, file!));
      }
      const command = readFileSync(join(src, "command.txt"), "utf8").trim().split("\n").at(-1)!;
      const r = await runSimulated({
        damage: join(dir, "simulator.cfg"),
        trace: "-",
        cwd: dir,
        argv: ["sh", "-c", command],
        env: { ...process.env, SAFECOPY: safecopy!, SIM: sourcePreloadLibrary },
        stdio: "pipe",
        stdin: "ignore",
      });
      expect(r.stdout).toBe(readFileSync(join(src, "stdout.txt"), "utf8"));
      expect(String(r.exitCode)).toBe(readFileSync(join(src, "exitcode.txt"), "utf8").trim());
      const upstreamTrace = readFileSync(join(src, "stderr.txt"), "utf8").split("\n").filter((l) => !l.startsWith("simulator ")).join("\n");
      expect(r.stderr).toBe(upstreamTrace);
      for (const [, , kind, file] of files.concat(readdirSync(src).filter((f) => f.endsWith(".badblocks")).map((f) => ["", "", "created", f]))) {
        if (kind === "created" && file!.endsWith(".badblocks")) expect(readFileSync(join(dir, file!), "utf8")).toBe(readFileSync(join(src, file!), "utf8"));
      }
    });
  }
});

describe("safecopy's upstream test0", () => {
  test("cat debug with hardfail=2 copies exactly the 2048 bytes before the bad block", async () => {
    const dir = scratchDir("test0");
    const data = writeImage(join(dir, "test.dat"), 10240, 3);
    await Bun.write(join(dir, "simulator.cfg"), "blocksize=1024\nfilesize=10240\nsource=test.dat\nhardfail=2\n");
    const r = await runSimulated({ damage: join(dir, "simulator.cfg"), cwd: dir, argv: ["sh", "-c", "cat debug > out"], stdio: "pipe", stdin: "ignore" });
    expect(r.exitCode).toBe(1);
    expect(readFileSync(join(dir, "out")).equals(data.subarray(0, 2048))).toBe(true);
  });
});
