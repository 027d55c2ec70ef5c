// Replays every recorded safecopy 1.7 run (r* regular files, s* simulated media) against
// salvage's safecopy mode and compares stdout, stderr, exit code, the destination's byte
// classes and the bad-block, timing and seek-script files. The recordings come from the
// real binary (test/fixtures/safecopy-golden, provenance in its README.md); deliberate fixes are listed in
// `deviations` with the expected fixed outcome and documented in docs/compat.md.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { classify, expectedFiles, readScenario } from "./golden-scenario.ts";
import { deviations } from "./golden-deviations.ts";
import { usesRecording } from "../helpers/needs.ts";

const GOLDEN = join(import.meta.dir, "../fixtures/safecopy-golden");
const ROOT = join(import.meta.dir, "../..");
const scenarios = readdirSync(GOLDEN).filter((d) => /^[rs]\d\d_/.test(d)).sort();
usesRecording("safecopy 1.7 golden runs (test/fixtures/safecopy-golden)");

// `safecopy` on PATH runs salvage's compatible mode (from source: no build needed).
const bin = mkdtempSync(join(tmpdir(), "salvage-golden-bin-"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));
const wrapper = join(bin, "safecopy");
writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${ROOT}/src/main.ts" copy "$@"\n`);
chmodSync(wrapper, 0o755);
// s* scenarios: the same, on the simulated disk that the scenario's simulator.cfg describes
// (salvage simulate, docs/damage-format.md: `debug` is the device, stat() on it fails).
const simWrapper = join(bin, "safecopy-sim");
writeFileSync(simWrapper, `#!/bin/sh\nexec "${process.execPath}" "${ROOT}/src/main.ts" simulate --damage simulator.cfg -- "${wrapper}" "$@"\n`);
chmodSync(simWrapper, 0o755);

const setupFunctions = [
  'gen() { head -c "$1" /dev/urandom > "$2"; }',
  "prefill() { head -c \"$1\" /dev/zero | tr '\\000' '\\001' > \"$2\"; }",
  'cfg() { cp "$SCENARIO/simulator.cfg" .; }',
].join("\n");

describe("safecopy golden runs", () => {
  for (const name of scenarios) {
    test(name, () => {
      const sc = readScenario(join(GOLDEN, name));
      const dir = mkdtempSync(join(tmpdir(), `salvage-${name}-`));
      try {
        const env = { ...process.env, SAFECOPY: name.startsWith("s") ? simWrapper : wrapper, SIM: "", SCENARIO: sc.dir };
        const setup = Bun.spawnSync(["bash", "-c", `${setupFunctions}\n${sc.setup}`], { cwd: dir, env });
        expect(setup.exitCode).toBe(0);
        const run = Bun.spawnSync(["bash", "-c", sc.command], { cwd: dir, env, timeout: 30_000 });
        const dev = deviations[name];
        const want = { ...sc.expected, ...dev?.expected };
        const stdout = run.stdout.toString().replaceAll("Usage: salvage copy", "Usage: /usr/bin/safecopy");
        expect(stdout).toBe(want.stdout);
        expect(run.stderr.toString()).toBe(want.stderr);
        expect(run.exitCode).toBe(want.exitCode);
        for (const [file, map] of Object.entries(dev?.bytemaps ?? sc.bytemaps)) {
          const srcName = existsSync(join(dir, "src.dat")) ? "src.dat" : "test.dat";
          const src = existsSync(join(dir, srcName)) ? readFileSync(join(dir, srcName)) : new Uint8Array(0);
          expect(classify(readFileSync(join(dir, file)), src, map)).toEqual(map.runs);
        }
        for (const [file, content] of Object.entries({ ...expectedFiles(sc), ...dev?.files })) {
          expect(`${file}: ${readFileSync(join(dir, file), "latin1")}`).toBe(`${file}: ${content}`);
        }
        if (sc.timing !== null) {
          // Microseconds vary; block numbers and read results must match.
          const strip = (t: string) => t.split("\n").map((l) => l.replace(/^(\d+) \d+ /, "$1 _ ")).join("\n");
          expect(strip(readFileSync(join(dir, "timing.txt"), "latin1"))).toBe(strip(sc.timing));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
