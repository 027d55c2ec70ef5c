// SIGINT / SIGTERM during a long rescue of a slow simulated disk: salvage stops within
// about a second, prints safecopy's "Aborted by user request!" summary, exits 2, and a
// following `-I` run completes the destination and the bad-block list correctly.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pattern } from "./engine-harness.ts";

const ROOT = join(import.meta.dir, "../..");
const SIZE = 32 << 20;
const SECTOR = 512;
const BAD = [2048, 2055]; // sectors, i.e. bytes 1 MiB .. 1 MiB + 4 KiB: before the interruption

function damageFile(): string {
  // 0.05 ms per sector of virtual time, really slept: the whole disk takes ~3.3 s.
  const last = SIZE / SECTOR - 1;
  return [
    "salvage-damage 1", `sector-size ${SECTOR}`, "timing read 0", "timing byte 0", "timing seek 0", "timing fail 0",
    "timing sleep-scale 1", `slow 0-${BAD[0]! - 1} 0.05ms`, `bad ${BAD[0]}-${BAD[1]}`, `slow ${BAD[1]! + 1}-${last} 0.05ms`, "",
  ].join("\n");
}

/** The first child of `pid`, from /proc (no procps needed). */
function firstChild(pid: number): number {
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "latin1");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) return Number(d);
    } catch {
      // gone meanwhile
    }
  }
  return 0;
}

async function childOf(pid: number): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const child = firstChild(pid);
    if (child > 0) return child;
    await Bun.sleep(20);
  }
  throw new Error("copy process did not start");
}

function simulate(dir: string, args: string[]) {
  return Bun.spawn([process.execPath, `${ROOT}/src/main.ts`, "simulate", "--image", "disk.img", "--damage", "disk.damage", "--as", "disk", "--",
    process.execPath, `${ROOT}/src/main.ts`, "copy", ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
}

describe("interruption", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    test(`${signal} stops within a second, and -I resumes to a complete copy`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "salvage-int-"));
      try {
        const data = pattern(SIZE, 3);
        writeFileSync(join(dir, "disk.img"), data);
        writeFileSync(join(dir, "disk.damage"), damageFile());
        const first = simulate(dir, ["-b", "4096", "-f", "1*", "-R", "1", "-Z", "0", "-o", "run1.badblocks", "disk", "out.dat"]);
        const copier = await childOf(first.pid);
        await Bun.sleep(1200);
        const sent = performance.now();
        process.kill(copier, signal);
        const code = await first.exited;
        const stoppedMs = performance.now() - sent;
        const out = await new Response(first.stdout).text();
        expect(stoppedMs).toBeLessThan(1500);
        expect(out).toContain("\nAborted by user request!\n");
        expect(code).toBe(2);
        const partial = readFileSync(join(dir, "out.dat"));
        expect(partial.length).toBeGreaterThan(BAD[1]! * SECTOR);
        expect(partial.length).toBeLessThan(SIZE);
        expect(readFileSync(join(dir, "run1.badblocks"), "latin1")).toBe("256\n");

        const second = simulate(dir, ["-b", "4096", "-f", "1*", "-R", "1", "-Z", "0", "-I", "run1.badblocks", "-o", "run2.badblocks", "disk", "out.dat"]);
        expect(await second.exited).toBe(1);
        const done = readFileSync(join(dir, "out.dat"));
        const expected = Uint8Array.from(data);
        expected.fill(0, BAD[0]! * SECTOR, (BAD[1]! + 1) * SECTOR);
        expect(done.length).toBe(SIZE);
        expect(Buffer.compare(done, expected)).toBe(0);
        expect(readFileSync(join(dir, "run2.badblocks"), "latin1")).toBe("256\n");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 30_000);
  }
});
