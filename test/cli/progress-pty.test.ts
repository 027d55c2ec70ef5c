// Progress with rate and time left, on a terminal only: `copy` in the terminal's title (its
// safecopy-compatible output unchanged), `ffs superblocks` as a line on stderr. Run under a
// pseudo-terminal (script(1)), as a person would see them.
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary, scratchDir } from "../helpers/binary.ts";
import { skipBecause } from "../helpers/needs.ts";
import { noScript } from "../safecopy/tty-cases.ts";
import { ByteProgress, progressText } from "../../src/cli/progress/byte-progress.ts";

const dir = scratchDir("progress-pty");
afterAll(() => dir.cleanup());
const salvage = `${process.execPath} ${join(import.meta.dir, "../../src/main.ts")}`;
const SIZE = 48 << 20;
writeFileSync(join(dir.path, "src.dat"), new Uint8Array(SIZE).fill(0x41));

function underPty(command: string): string {
  const r = Bun.spawnSync(["script", "-qec", command, "/dev/null"], { cwd: dir.path, timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } });
  return r.stdout.toString("latin1");
}

describe.skipIf(skipBecause(noScript))("under a terminal", () => {
  test("copy: rate and time left in the title, reset at the end; the text is safecopy's", () => {
    const screen = underPty(`${salvage} copy src.dat out1.dat`);
    const titles = [...screen.matchAll(/\x1b\]0;([^\x07]*)\x07/g)].map((m) => m[1]);
    expect(titles.length).toBeGreaterThanOrEqual(2);
    expect(titles[0]).toMatch(/^salvage copy: \d+% of 48\.0 MiB, [\d.]+ [KMG]?i?B\/s, .* left$/);
    expect(titles[titles.length - 1]).toBe("");
    // Without a terminal nothing is added: stdout and stderr carry no escape at all.
    const plain = runBinary([...salvage.split(" "), "copy", "src.dat", "out2.dat"], { cwd: dir.path });
    expect(plain.code).toBe(0);
    expect(plain.stdout + plain.stderr).not.toContain("\x1b");
    expect(screen.replace(/\x1b\]0;[^\x07]*\x07/g, "").replaceAll("\r\n", "\n").replaceAll("out1", "out2")).toContain(plain.stdout.split("\n").slice(0, 5).join("\n"));
  });

  test("ffs superblocks: a progress line on stderr, cleared before each finding and at the end", () => {
    const screen = underPty(`${salvage} ffs superblocks src.dat`);
    expect(screen).toMatch(/\rscanning for superblocks: \d+% of 48\.0 MiB, [\d.]+ [KMG]?i?B\/s, .* left\x1b\[K/);
    expect(screen).toContain("\r\x1b[K");
    expect(screen).toContain("no superblock magic found");
  });
});

describe("progress text", () => {
  test("percent, total, rate and time left; without a total, bytes and rate", () => {
    expect(progressText(512 << 20, 1 << 30, 64 << 20)).toBe("50% of 1.00 GiB, 64.0 MiB/s, 8s left");
    expect(progressText(3 << 20, null, 1 << 20)).toBe("3.00 MiB, 1.00 MiB/s");
  });

  test("shown at most every interval, from the rate measured", () => {
    let t = 0;
    const shown: string[] = [];
    const p = new ByteProgress("x", 100 << 20, { show: (s) => shown.push(s), done: () => shown.push("done") }, 500, () => t);
    for (let i = 1; i <= 40; i++) {
      t = i * 100;
      p.update(i * (1 << 20) * 0.1 * 10); // 10 MiB/s
    }
    p.done();
    expect(shown.length).toBe(9); // t = 100, 600, ..., 3600, then done
    expect(shown[shown.length - 2]).toBe("x: 36% of 100.0 MiB, 10.0 MiB/s, 6s left");
    expect(shown[shown.length - 1]).toBe("done");
  });
});
