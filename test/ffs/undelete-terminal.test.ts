// What the FFS commands show a person: a progress line with rate and time left on a
// terminal (util-linux `script` gives a pseudo-terminal), nothing of it in a pipe, and
// one line naming the directory when textpieces cannot write its pieces.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { skipBecause } from "../helpers/needs.ts";
// util-linux `script`, found as the terminal tests of safecopy find it.
import { noScript } from "../safecopy/tty-cases.ts";
import { fixturePath, repoRoot, salvage, scratchDir } from "./fixtures.ts";

describe("ffs commands on a terminal", () => {
  test.skipIf(skipBecause(noScript))("getfree shows its progress (share, bytes, rate) on a pseudo-terminal, not in a pipe", () => {
    const img = fixturePath("deleted_ufs1_le.img.gz");
    const cmd = `${process.execPath} ${join(repoRoot, "src/main.ts")} getfree ${img} -o /dev/null`;
    const r = Bun.spawnSync(["script", "-q", "-e", "-c", cmd, "/dev/null"], { stdin: "ignore", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.exitCode).toBe(0);
    const text = r.stdout.toString();
    expect(text).toMatch(/getfree: \d+%, [\d.]+ \w?i?B, [\d.]+ \w?i?B\/s/);
    const piped = salvage(["getfree", img, "-o", "/dev/null"]);
    expect(piped.stderr).not.toContain("getfree: 0%");
  });

  test("textpieces into a missing directory: one line naming it, exit 2", () => {
    const dir = join(scratchDir(), "no-such-dir", "deeper");
    const r = salvage(["textpieces", join(dir, "p"), "--fsize", "1024", "--input", fixturePath("deleted_ufs1_le.img.gz")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`salvage: ${dir}: no such directory for the piece files (create it first)`);
  });
});
