// The rescue's terminal screen under a real pseudo-terminal (script(1)), compared with GNU
// ddrescue 1.27's: recorded always (test/fixtures/oracles/ddrescue/screen.json), live too when
// ddrescue is installed. Then the pieces a pty run cannot pin down: the piped log line, the
// layouts below 76 columns, the live map and the key that toggles it.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { missing, skipBecause, usesLivePeer, peer } from "../helpers/needs.ts";
import { noScript } from "../safecopy/tty-cases.ts";
import { ddrescueLine, screenKeys, screenOf, screenRecipe, type ScreenShape } from "./screen-cases.ts";
import { salvageCommand } from "./cli-helpers.ts";
import { MemoryTarget, randomData } from "./helpers.ts";
import { statusFields, statusLines, WIDE, type StatusFigures } from "../../src/cli/progress/status-layout.ts";
import { RescueStatusView } from "../../src/cli/progress/rescue-status.ts";
import { MemorySource } from "../../src/io/memory-source.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { Domain } from "../../src/rescue/mapfile/domain.ts";
import { RescueContext } from "../../src/rescue/mapfile/context.ts";
import { resolveOptions } from "../../src/rescue/mapfile/options.ts";
import { runRescue } from "../../src/rescue/mapfile/engine.ts";

const salvage = salvageCommand().join(" ");
const ours = (key: string) => `${key === "interrupted" ? "SALVAGE_TEST_READ_DELAY_MS=40 " : ""}${salvage} rescue --test-mode test.map in.bin out.bin map`;

function compare(got: ScreenShape, want: ScreenShape, key: string): void {
  expect(got.block).toEqual(want.block);
  // Our greeting also names the key that shows the map.
  expect(got.greeting[0]).toStartWith(want.greeting[0]!);
  expect(got.greeting.slice(1)).toEqual(want.greeting.slice(1));
  // An interrupted run's figures depend on when the signal came.
  if (key !== "interrupted") expect(got.figures).toEqual(want.figures);
  expect(got.closing[0]).toBe(want.closing[0]!);
}

describe.skipIf(skipBecause(noScript))("the terminal screen, as ddrescue's", () => {
  const rec = loadOracle<ScreenShape>(screenRecipe.name);
  for (const key of screenKeys) {
    test(`${key}: same labels in the same columns, same figures, same closing line`, () => {
      const got = screenOf(() => ours(key), key);
      compare(got, recorded(rec, screenRecipe.name, key), key);
      if (key === "interrupted") {
        // Beyond ddrescue: how to go on.
        expect(got.closing).toContain("The map is saved. To resume, run the same command again:");
        expect(got.closing).toContain("salvage rescue --test-mode test.map in.bin out.bin map");
      }
    }, 60_000);
  }
  test.skipIf(skipBecause(missing("ddrescue")))("live ddrescue agrees with its recording", () => {
    usesLivePeer("ddrescue");
    for (const key of ["fresh", "resumed"] as const) compare(screenOf(() => ddrescueLine(peer("ddrescue")!, key), key), recorded(rec, screenRecipe.name, key), key);
  }, 60_000);
});

const figures: StatusFigures = { ipos: 3407872, opos: 3407872, rescued: 3145728, pct: 75, nonTried: 917504, nonTrimmed: 131072, nonScraped: 512, badSector: 1024, badAreas: 2, readErrors: 7, currentRate: 1_500_000, averageRate: 786432, errorRate: 65536, runTimeS: 3725, sinceGoodS: 2, remainingShort: "2s + bad" };

describe("narrow terminals", () => {
  for (const width of [120, 80, 76, 75, 60, 50, 40, 30, 20, 12]) {
    test(`${width} columns: every field is shown, no line wraps`, () => {
      const lines = statusLines(figures, width);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(width - 1);
      const text = lines.join("\n");
      // Below 76 columns ddrescue's last label is shortened; every other label is whole.
      const labels = statusFields(figures).map((f) => (width < WIDE && f.short ? f.short : f.label));
      if (width >= 30) for (const label of labels) expect(text).toContain(`${label}:`);
      else expect(lines.length).toBe(labels.length);
      // The figures are not cut off either, where a line has room for them.
      if (width >= 40) for (const v of ["3407 kB", "917504 B", "75.00%", "1500 kB/s", "1h 2m", "2s + bad"]) expect(text).toContain(v);
    });
  }
  test("at 76 columns and more it is ddrescue's 74-column block; below, the fields flow into columns", () => {
    expect(statusLines(figures, 76)[0]).toBe("     ipos:    3407 kB, non-trimmed:   131072 B,  current rate:   1500 kB/s");
    expect(statusLines(figures, 75).length).toBeGreaterThan(6);
    expect(statusLines(figures, 60).length).toBe(8);
  });
});

describe("piped output", () => {
  test("a line with every figure and a rate that is not zero", () => {
    const dir = mkdtempSync(join(tmpdir(), "salvage-piped-"));
    try {
      writeFileSync(join(dir, "in.bin"), randomData(4 << 20, 5));
      const r = Bun.spawnSync([...salvageCommand(), "rescue", "in.bin", "out.bin", "map"], { cwd: dir, env: { ...process.env, SALVAGE_TEST_READ_DELAY_MS: "300" }, stdin: "ignore" });
      const err = r.stderr.toString();
      expect(r.exitCode).toBe(0);
      expect(err).toStartWith("salvage ");
      expect(err).toContain("Press Ctrl-C to interrupt\n");
      const last = err.split("\n").filter((l) => l.startsWith("ipos: ")).pop()!;
      for (const label of ["ipos", "opos", "non-tried", "rescued", "pct rescued", "non-trimmed", "non-scraped", "bad-sector", "bad areas", "read errors", "current rate", "average rate", "error rate", "run time", "remaining time", "time since last successful read"]) expect(last).toContain(`${label}: `);
      expect(last).toContain("pct rescued: 100.00%");
      expect(last).not.toMatch(/current rate: 0 B\/s/);
      expect(last).not.toMatch(/average rate: 0 B\/s/);
      expect(err.trimEnd()).toEndWith("Finished");
      expect(err).not.toContain("\x1b");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("rates between redraws", () => {
  test("piped lines ten seconds apart still show the current rate and the error rate (virtual clock)", async () => {
    let log = "";
    let clock = 0;
    const view = new RescueStatusView("plain", { write: (s: string) => (log += s) });
    const data = randomData(8 << 20, 6);
    const ctx: RescueContext = new RescueContext(new MemorySource(data, { bad: [[3 << 20, (3 << 20) + 200_000]] }), new MemoryTarget(data.length), new StatusMap(data.length), Domain.whole(data.length), resolveOptions({}, data.length, 512), {
      // Every read takes 300 ms of virtual time.
      onEvent: (e) => {
        if (e.type === "read") clock += 300;
        view.onEvent(e, ctx);
      },
      checkpoint: (c) => view.tick(c),
      now: () => clock,
    });
    await runRescue(ctx);
    const lines = log.split("\n").filter((l) => l.startsWith("ipos: "));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.some((l) => /current rate: [1-9]/.test(l))).toBe(true);
    expect(lines.some((l) => /error rate: [1-9]/.test(l))).toBe(true);
    expect(lines.some((l) => /remaining time: [0-9]/.test(l))).toBe(true);
  });
});

describe("the resume hint", () => {
  test("quotes what the shell would split, and escapes control characters from paths", async () => {
    const { resumeCommand } = await import("../../src/cli/progress/rescue-hooks.ts");
    expect(resumeCommand(["/dev/sdb", "disk.img", "disk.map", "-r", "3"])).toBe("salvage rescue /dev/sdb disk.img disk.map -r 3");
    expect(resumeCommand(["my disk.img", "it's.img", "m.map"])).toBe(`salvage rescue 'my disk.img' 'it'"'"'s.img' m.map`);
    const hostile = resumeCommand(["/dev/sdb", "x\x1b]0;pwned\x07.img", "m\x9b.map"]);
    expect(hostile).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    expect(hostile).toContain("\\x1b]0;pwned\\x07");
  });
});
