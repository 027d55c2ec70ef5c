// The map as a grid of terminal cells: in `map show` on a terminal and live under the rescue
// status (--view map, key m), at several window sizes.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fitGrid, gridLines, legendLine, terminalGrid } from "../../src/cli/progress/map-grid.ts";
import { RescueStatusView } from "../../src/cli/progress/rescue-status.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { RescueContext } from "../../src/rescue/mapfile/context.ts";
import { Domain } from "../../src/rescue/mapfile/domain.ts";
import { resolveOptions } from "../../src/rescue/mapfile/options.ts";
import { runRescue } from "../../src/rescue/mapfile/engine.ts";
import { MemorySource } from "../../src/io/memory-source.ts";
import { MemoryTarget, randomData } from "./helpers.ts";
import { noScript } from "../safecopy/tty-cases.ts";
import { skipBecause } from "../helpers/needs.ts";
import { salvageCommand } from "./cli-helpers.ts";

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");

/** 1 MiB: finished, one bad sector at 600 KiB, untried from 900 KiB. */
function sampleMap(): StatusMap {
  const m = new StatusMap(1 << 20, "+");
  m.set(600 * 1024, 512, "-");
  m.set(900 * 1024, 124 * 1024, "?");
  return m;
}

describe("grid", () => {
  test("without colour each cell is the worst status it covers, in reading order", () => {
    const lines = gridLines(sampleMap(), 1 << 20, { columns: 16, rows: 4, colour: false });
    expect(lines).toEqual(["++++++++++++++++", "++++++++++++++++", "+++++-++++++++++", "++++++++????????"]);
  });

  test("with colour: one SGR per change of colour, a corner glyph where rescued data is mixed in, '@' at the position", () => {
    const lines = gridLines(sampleMap(), 1 << 20, { columns: 16, rows: 4, colour: true, position: 0 });
    expect(lines.map(plain).map((l) => l.length)).toEqual([16, 16, 16, 16]);
    expect(plain(lines[0]!)[0]).toBe("@");
    expect(lines[2]).toContain("\x1b[41;92m\u2598"); // red, with a green corner: a bad sector inside good data
    expect(lines[3]).toContain("\x1b[100;92m"); // grey: untried
    for (const l of lines) expect(l).toEndWith("\x1b[0m");
  });

  for (const [width, height] of [[120, 40], [80, 24], [75, 10], [40, 8], [20, 5], [8, 3]] as const) {
    test(`fits a ${width}x${height} window`, () => {
      const out = terminalGrid(sampleMap(), { width, height, colour: true });
      const lines = out.trimEnd().split("\n");
      // The grid rows and a legend; nothing wider than the window minus one column.
      expect(lines.length).toBeLessThanOrEqual(height + 1);
      for (const l of lines) expect(plain(l).length).toBeLessThanOrEqual(Math.max(1, width - 1));
      expect(plain(lines[0]!).length).toBe(width - 1);
      if (width >= 40) expect(plain(lines[lines.length - 1]!)).toContain("cell: ");
    });
  }

  test("a small map gets no cell finer than a sector", () => {
    expect(fitGrid(80, 20, 4096)).toEqual({ columns: 80, rows: 1 });
    expect(fitGrid(80, 20, 1 << 30)).toEqual({ columns: 80, rows: 20 });
  });

  test("the legend names the states when there is room, else shows the bare keys", () => {
    expect(legendLine(1 << 20, 100, false, 100)).toBe("+ finished ? non-tried * non-trimmed / non-scraped - bad-sector  cell: 10486 B");
    expect(legendLine(1 << 20, 100, false, 30)).toBe("+ ? * / - cell: 10486 B");
    expect(legendLine(1 << 20, 100, false, 12)).toBe("+ ? * / - ");
    expect(legendLine(1 << 20, 100, false, 8)).toBe("");
  });
});

describe("live map under the status", () => {
  for (const [columns, rows] of [[80, 30], [60, 24], [100, 12], [40, 40]] as const) {
    test(`${columns}x${rows}: the block and the map fit the window, and redraw in place`, async () => {
      let out = "";
      const view = new RescueStatusView("tty", { write: (s: string) => (out += s), columns, rows }, { map: true, colour: false });
      const data = randomData(1 << 20, 4);
      const ctx: RescueContext = new RescueContext(new MemorySource(data, { bad: [[300_000, 310_000]] }), new MemoryTarget(data.length), new StatusMap(data.length), Domain.whole(data.length), resolveOptions({}, data.length, 512), {
        onEvent: (e) => view.onEvent(e, ctx),
      });
      await runRescue(ctx);
      const frames = out.split(/\x1b\[\d+A/);
      const last = frames[frames.length - 1]!.split("\n").map((l) => plain(l.replace(/\r/g, ""))).filter(Boolean);
      expect(last.length).toBeLessThanOrEqual(rows - 1);
      for (const l of last) expect(l.length).toBeLessThanOrEqual(columns - 1);
      // The map shows the bad area, and the legend says what a cell is.
      expect(last.some((l) => /^[+?*\/@-]+$/.test(l) && l.includes("-"))).toBe(true);
      expect(last[last.length - 1]).toContain("cell: ");
    });
  }
});

describe.skipIf(skipBecause(noScript))("on a real terminal", () => {
  const dir = mkdtempSync(join(tmpdir(), "salvage-grid-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bin = salvageCommand().join(" ");
  writeFileSync(join(dir, "in.bin"), randomData(2 << 20, 8));
  writeFileSync(join(dir, "test.map"), "0x0 + 1\n0x0 0x100000 +\n0x100000 0x8000 -\n0x108000 0xF8000 +\n");
  const pty = (command: string, input?: (w: (s: string) => void) => Promise<void>) => {
    const p = Bun.spawn(["script", "-qec", command, "/dev/null"], { cwd: dir, stdin: "pipe", stdout: "pipe" });
    return (async () => {
      if (input) await input((s) => p.stdin.write(s));
      await Bun.sleep(50);
      p.stdin.end();
      const text = await new Response(p.stdout).text();
      await p.exited;
      return text;
    })();
  };

  test("map show draws the grid under the summary, as wide as the window", async () => {
    const out = await pty(`stty cols 50 rows 30; ${bin} rescue -q --test-mode test.map in.bin out.bin map; ${bin} map show map`);
    const lines = out.split(/\r?\n/).map((l) => l.replace(/\r/g, ""));
    const grid = lines.filter((l) => /^\x1b\[(4|10)/.test(l) && !l.includes("cell:"));
    expect(grid.length).toBeGreaterThan(1);
    for (const l of grid) expect(plain(l).length).toBe(49);
    expect(out).toContain("\x1b[41;"); // the bad area, red
    // Piped, the summary stays as it was: no grid.
    const piped = Bun.spawnSync([...salvageCommand(), "map", "show", "map"], { cwd: dir });
    expect(piped.stdout.toString()).not.toContain("\x1b");
  }, 30_000);

  test("key m shows the map during a rescue; the terminal's mode is restored afterwards", async () => {
    const out = await pty(`stty cols 80 rows 30; SALVAGE_TEST_READ_DELAY_MS=40 ${bin} rescue --test-mode test.map in.bin out2.bin map2; stty -a`, async (w) => {
      await Bun.sleep(1500);
      w("m");
    });
    expect(out).toContain("Press Ctrl-C to interrupt, m to show or hide the map");
    expect(plain(out)).toMatch(/finished +non-tried +non-trimmed +non-scraped +bad-sector +cell: /); // the legend: the map was drawn
    expect(out).toContain("Finished");
    // Raw mode is over: canonical input and echo are on again.
    const stty = out.slice(out.lastIndexOf("Finished"));
    expect(stty).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(stty).toMatch(/(^|\s)echo(\s|$)/m);
  }, 30_000);

  test("--view map starts with the map; Ctrl-C in raw mode still interrupts, and says how to resume", async () => {
    const out = await pty(`stty cols 80 rows 30; SALVAGE_TEST_READ_DELAY_MS=40 ${bin} rescue --view map --test-mode test.map in.bin out3.bin map3; echo rc=$?; stty -a`, async (w) => {
      await Bun.sleep(1500);
      w("\x03");
    });
    expect(plain(out)).toMatch(/finished +non-tried +non-trimmed +non-scraped +bad-sector +cell: /);
    expect(out).toContain("Interrupted by user");
    expect(out).toContain("salvage rescue --view map --test-mode test.map in.bin out3.bin map3");
    expect(out).toContain("rc=130");
    expect(out.slice(out.lastIndexOf("rc=130"))).toMatch(/(^|\s)icanon(\s|$)/m);
  }, 30_000);

  test("Ctrl-Z suspends the job as usual (raw mode or not), fg resumes it, and Ctrl-C then interrupts", async () => {
    const p = Bun.spawn(["script", "-qfc", "bash --norc --noprofile -i", "/dev/null"], { cwd: dir, stdin: "pipe", stdout: "pipe" });
    const w = (s: string) => void (p.stdin.write(s), p.stdin.flush());
    await Bun.sleep(300);
    w(`stty cols 80 rows 30; SALVAGE_TEST_READ_DELAY_MS=40 ${bin} rescue --test-mode test.map in.bin out4.bin map4\n`);
    await Bun.sleep(1500);
    w("\x1a");
    await Bun.sleep(500);
    w("stty -a | grep -o -- '-\\?icanon' | sed 's/^/while stopped: /'; fg\n");
    await Bun.sleep(1000);
    w("\x03");
    await Bun.sleep(800);
    w("echo rc=$?; stty -a | grep -o -- '-\\?icanon' | sed 's/^/after: /'; exit\n");
    await Bun.sleep(300);
    p.stdin.end();
    const out = plain(await new Response(p.stdout).text());
    await p.exited;
    expect(out).toContain("Stopped");
    expect(out).toContain("while stopped: icanon");
    expect(out).toContain("Interrupted by user");
    expect(out).toContain("rc=130");
    expect(out).toContain("after: icanon");
  }, 30_000);
});
