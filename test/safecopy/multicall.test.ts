// The compiled binary called through a link named `safecopy` is safecopy: same help text
// (naming the program as typed), same behaviour. Needs the build (`npm run build`).
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pattern } from "./engine-harness.ts";

const ROOT = join(import.meta.dir, "../..");
const built = join(ROOT, "dist/salvage");
const ready = existsSync(built) && existsSync("/usr/bin/safecopy");
if (!ready) console.warn("skipping multi-call tests: needs dist/salvage (npm run build) and /usr/bin/safecopy");

describe.skipIf(!ready)("`safecopy` link to the salvage binary", () => {
  for (const args of [[], ["-h"], ["-b", "1024", "src.dat", "out.dat"]]) {
    test(`./safecopy ${args.join(" ")}`, () => {
      const dir = mkdtempSync(join(tmpdir(), "salvage-multicall-"));
      try {
        const outputs = ["theirs", "ours"].map((who) => {
          const d = join(dir, who);
          mkdirSync(d);
          symlinkSync(who === "ours" ? built : "/usr/bin/safecopy", join(d, "safecopy"));
          writeFileSync(join(d, "src.dat"), pattern(5000, 1));
          const r = Bun.spawnSync(["./safecopy", ...args], { cwd: d, timeout: 20_000 });
          return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
        });
        expect(outputs[1]).toEqual(outputs[0]!);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
