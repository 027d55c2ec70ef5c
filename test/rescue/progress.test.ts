import { describe, expect, test } from "bun:test";
import { formatDuration, RateMeter, remainingEstimate } from "../../src/cli/progress/rate.ts";
import { RescueStatusView } from "../../src/cli/progress/rescue-status.ts";
import { MemoryTarget, randomData } from "./helpers.ts";
import { MemorySource } from "../../src/io/memory-source.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { Domain } from "../../src/rescue/mapfile/domain.ts";
import { RescueContext } from "../../src/rescue/mapfile/context.ts";
import { resolveOptions } from "../../src/rescue/mapfile/options.ts";
import { runRescue } from "../../src/rescue/mapfile/engine.ts";

describe("status output", () => {
  test("the remaining time is honest: unknown without a rate, and bad areas are never priced", () => {
    const t = { "?": 1e6, "*": 0, "/": 0, "-": 0, "+": 0 };
    expect(remainingEstimate(t, 0, false)).toMatch(/unknown/);
    expect(remainingEstimate(t, 1e5, false)).toBe("10s");
    expect(remainingEstimate({ ...t, "*": 512 }, 1e5, false)).toBe("10s + bad areas (unknown)");
    expect(remainingEstimate({ ...t, "?": 0, "/": 512 }, 1e5, false)).toMatch(/^unknown/);
    expect(remainingEstimate({ ...t, "?": 0, "/": 512 }, 1e5, true)).toBe("0s");
    // Scraping: at most one read per non-scraped sector, at the pace seen so far.
    expect(remainingEstimate({ ...t, "?": 0, "/": 512 * 100 }, 0, false, { msPerRead: 2000, sector: 512 })).toBe("at most 3m 20s at the current pace");
    expect(formatDuration(3725)).toBe("1h 2m");
    expect(formatDuration(59)).toBe("59s");
  });

  test("rates: current over the last second, recent over 30 s", () => {
    const m = new RateMeter();
    for (let t = 0; t <= 40_000; t += 500) m.sample(t, t < 20_000 ? t * 1000 : 20_000_000);
    expect(m.current()).toBe(0);
    expect(m.recent()).toBeGreaterThan(0);
  });

  test("tty mode redraws the block in place; json mode writes one event per line", async () => {
    let tty = "";
    const view = new RescueStatusView("tty", { write: (s: string) => (tty += s) });
    let json = "";
    const jview = new RescueStatusView("json", { write: (s: string) => (json += s) });
    const data = randomData(1 << 20, 9);
    const source = new MemorySource(data, { bad: [[300_000, 310_000]] });
    const map = new StatusMap(data.length);
    const domain = Domain.whole(data.length);
    const ctx: RescueContext = new RescueContext(source, new MemoryTarget(data.length), map, domain, resolveOptions({}, data.length, 512), {
      onEvent: (e) => {
        view.onEvent(e, ctx);
        jview.onEvent(e, ctx);
      },
    });
    const result = await runRescue(ctx);
    jview.end(ctx, { ...result, exitCode: 1, resume: "salvage rescue a b c" });
    expect(tty).toContain("\x1b[7A");
    // Nothing may wrap on an 80-column terminal, or the cursor-up redraw would drift.
    for (const line of tty.split(/\r|\n/)) expect(line.replace(/\x1b\[\d*[AK]/g, "").length).toBeLessThanOrEqual(79);
    expect(tty).toMatch(/rescued:.*%/);
    expect(tty).toMatch(/bad areas:\s+1/);
    const events = json.trim().split("\n").map((l) => JSON.parse(l));
    expect(events.filter((e) => e.event === "phase").map((e) => e.phase)).toEqual(["copying", "copying", "copying", "trimming", "copying", "scraping"]);
    expect(events[events.length - 1].event).toBe("finished");
  });

  test("tty lines are clipped to a narrow terminal's width", async () => {
    let tty = "";
    const view = new RescueStatusView("tty", { write: (s: string) => (tty += s), columns: 40 });
    const data = randomData(64 * 1024, 3);
    const source = new MemorySource(data, { bad: [[4096, 8192]] });
    const ctx: RescueContext = new RescueContext(source, new MemoryTarget(data.length), new StatusMap(data.length), Domain.whole(data.length), resolveOptions({}, data.length, 512), {
      onEvent: (e) => view.onEvent(e, ctx),
    });
    await runRescue(ctx);
    const lines = tty.split(/\r|\n/).map((l) => l.replace(/\x1b\[\d*[AK]/g, ""));
    expect(lines.some((l) => l.trim().startsWith("rescued:"))).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(39);
  });
});
