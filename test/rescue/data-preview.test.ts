// -P / --data-preview: the latest data read, as ddrescue shows it above its status.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataPreview, hexLine } from "../../src/cli/progress/data-preview.ts";
import { RescueStatusView } from "../../src/cli/progress/rescue-status.ts";
import { MemorySource } from "../../src/io/memory-source.ts";
import { RescueContext } from "../../src/rescue/mapfile/context.ts";
import { Domain } from "../../src/rescue/mapfile/domain.ts";
import { runRescue } from "../../src/rescue/mapfile/engine.ts";
import { resolveOptions } from "../../src/rescue/mapfile/options.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { salvageCommand } from "./cli-helpers.ts";
import { MemoryTarget, randomData } from "./helpers.ts";

const bytesOf = (hex: string) => Uint8Array.from(hex.split(" ").filter(Boolean).map((h) => parseInt(h, 16)));

describe("the preview lines", () => {
  test("a line is laid out as GNU ddrescue 1.27 prints it (copied from its screen, -P on random data)", () => {
    // Captured from `ddrescue -P` under script(1) on this machine.
    const fromDdrescue = "00002D0010  41 60 82 7B B9 26 17 E5  65 63 75 3D 86 0B 24 05  A`.{.&..ecu=..$.";
    expect(hexLine(0x2d0010, bytesOf("41 60 82 7B B9 26 17 E5 65 63 75 3D 86 0B 24 05"))).toBe(fromDdrescue);
  });

  test("before any good read: 'No data available' in the middle line, as ddrescue", () => {
    // ddrescue 1.27's screen before its first read: 28 spaces, then the words.
    expect(new DataPreview(3).render(80)).toEqual(["Data preview:", "", " ".repeat(28) + "No data available", ""]);
  });

  test("keeps the start of the latest good read, with its position; a short read leaves the rest blank", () => {
    const p = new DataPreview(3);
    const buf = new Uint8Array(4096).map((_, i) => (i * 7) & 0xff);
    p.took(buf, 0x10000, 20);
    const lines = p.render(100);
    expect(lines[1]).toStartWith("0000010000  00 07 0E 15");
    expect(lines[2]).toStartWith("0000010010  70 77 7E 85");
    expect(lines[2]).toContain("   ".repeat(12)); // bytes 20-31 were not read
    expect(lines[3]).toBe("");
  });
});

describe("in the terminal status", () => {
  test("the screen shows the data of the last good read above the figures", async () => {
    let screen = "";
    const view = new RescueStatusView("tty", Object.assign({ write: (s: string) => (screen += s) }, { columns: 100, rows: 40 }), { preview: 2 });
    const data = randomData(2 << 20, 9);
    const buffer = new Uint8Array(1 << 20);
    const map = new StatusMap(data.length);
    const domain = Domain.whole(data.length);
    view.begin({ version: "t", source: "s", destination: "d", mapfile: "m", sourceSize: data.length, sectorSize: 512, resumed: false, options: {} }, map, domain, { readBuffer: buffer });
    let lastGood = -1;
    const ctx: RescueContext = new RescueContext(new MemorySource(data), new MemoryTarget(data.length), map, domain, resolveOptions({}, data.length, 512), {
      onEvent: (e) => {
        if (e.type === "read" && e.result > 0) lastGood = e.pos;
        view.onEvent(e, ctx);
      },
      checkpoint: (c) => view.tick(c),
    }, buffer);
    await runRescue(ctx);
    const last = screen.slice(screen.lastIndexOf("Data preview:"));
    expect(last).toContain(hexLine(lastGood, data.subarray(lastGood, lastGood + 16)));
    expect(last).toContain(hexLine(lastGood + 16, data.subarray(lastGood + 16, lastGood + 32)));
    expect(last.indexOf("Data preview:")).toBeLessThan(last.indexOf("ipos:"));
  });

  test("--preview-lines outside 1-32 is a one-line error", () => {
    const dir = mkdtempSync(join(tmpdir(), "salvage-preview-"));
    try {
      writeFileSync(join(dir, "in.bin"), randomData(65536, 3));
      const r = Bun.spawnSync([...salvageCommand(), "rescue", "-P", "--preview-lines", "40", "in.bin", "out.bin", "map"], { cwd: dir, stdin: "ignore" });
      expect(r.exitCode).toBe(2);
      expect(r.stderr.toString().trim()).toMatch(/^salvage: --preview-lines: expected a whole number from 1 to 32: '40'$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
