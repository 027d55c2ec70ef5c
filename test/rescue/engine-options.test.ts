// The ddrescue options that change how the engine runs: -e, -E, --max-slow-reads,
// --delay-slow, -O, -u, --pause-on-error, --cpass, and -A/-M (try-again.ts); and what the
// stages of rescue --used-first rely on (domainEdgeGood, pass 1 after an earlier run). In-memory
// sources and a virtual clock; no files.
import { describe, expect, test } from "bun:test";
import { randomData, rescue } from "./helpers.ts";
import type { RescueEvent } from "../../src/rescue/mapfile/events.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { Domain } from "../../src/rescue/mapfile/domain.ts";
import { markForRetry } from "../../src/rescue/mapfile/try-again.ts";

const MiB = 1024 * 1024;
const KiB = 1024;
/** Three separate bad areas, far apart. */
const threeAreas = { bad: [[1 * MiB, 1 * MiB + 4 * KiB], [2 * MiB, 2 * MiB + 4 * KiB], [3 * MiB, 3 * MiB + 4 * KiB]] as Array<[number, number]> };

function phases(events: RescueEvent[]): string[] {
  return events.flatMap((e) => (e.type === "phase" ? [e.message] : []));
}

describe("-e, --max-bad-areas", () => {
  test("stops once the map holds more than N bad areas; without a limit the run finishes", async () => {
    const data = randomData(4 * MiB);
    const limited = await rescue(data, threeAreas, { maxBadAreas: 1 });
    expect(limited.outcome).toBe("stopped");
    expect(limited.map.badAreas()).toBe(2);
    expect((await rescue(data, threeAreas, { maxBadAreas: 3 })).outcome).toBe("finished");
  });

  test("+N counts only areas new in this run: a map with old bad areas goes on", async () => {
    const data = randomData(4 * MiB);
    const old = () => {
      const map = new StatusMap(data.length);
      for (let k = 0; k < 5; k++) map.set(3.5 * MiB + k * 8 * KiB, 512, "-");
      return map;
    };
    expect((await rescue(data, threeAreas, { maxBadAreas: 4 }, { map: old() })).outcome).toBe("stopped");
    const plus = await rescue(data, threeAreas, { maxBadAreas: 3, maxBadAreasNew: true }, { map: old() });
    expect(plus.outcome).toBe("finished");
    expect((await rescue(data, threeAreas, { maxBadAreas: 2, maxBadAreasNew: true }, { map: old() })).outcome).toBe("stopped");
  });
});

describe("-E, --max-error-rate", () => {
  test("stops when failed reads exceed N bytes per second, measured over at least a second", async () => {
    const data = randomData(4 * MiB);
    let t = 0;
    // Each read takes 100 ms: 4 KiB of failed reads in a second is 4 KiB/s.
    const run = await rescue(data, threeAreas, { maxErrorRate: 1000 }, { hooks: { now: () => (t += 100) } });
    expect(run.outcome).toBe("stopped");
    let u = 0;
    expect((await rescue(data, threeAreas, { maxErrorRate: 10 * MiB }, { hooks: { now: () => (u += 100) } })).outcome).toBe("finished");
  });
});

describe("slow reads: --max-slow-reads and --delay-slow", () => {
  const data = randomData(2 * MiB);
  // Every 64 KiB read takes 50 ms: 1.3 MB/s, slow against -a 2 MiB/s.
  const slowClock = () => {
    let t = 0;
    return () => (t += 50);
  };
  test("more than N slow reads stop the run", async () => {
    const run = await rescue(data, {}, { minReadRate: 2 * MiB, healthyRead: 65536, maxSlowReads: 2 }, { hooks: { now: slowClock() } });
    expect(run.outcome).toBe("stopped");
    expect(run.ctx.counters.slowReads).toBe(3);
  });
  test("nothing is slow before the delay has passed", async () => {
    const late = await rescue(data, {}, { minReadRate: 2 * MiB, healthyRead: 65536, delaySlowMs: 3_600_000 }, { hooks: { now: slowClock() } });
    expect(late.ctx.counters.slowReads).toBe(0);
    const early = await rescue(data, {}, { minReadRate: 2 * MiB, healthyRead: 65536, delaySlowMs: 0 }, { hooks: { now: slowClock() } });
    expect(early.ctx.counters.slowReads).toBeGreaterThan(0);
  });
});

describe("-O, --pause-on-error", () => {
  test("-O reopens the source after each failed read while copying, not in later phases", async () => {
    const data = randomData(4 * MiB);
    let reopens = 0;
    const run = await rescue(data, threeAreas, { reopenOnError: true }, { hooks: { reopenSource: () => reopens++ } });
    const copyFailures = run.source.reads.filter((r) => r.result < 0).length;
    expect(reopens).toBeGreaterThan(0);
    expect(reopens).toBeLessThan(copyFailures);
    let none = 0;
    await rescue(data, threeAreas, {}, { hooks: { reopenSource: () => none++ } });
    expect(none).toBe(0);
  });
  test("--pause-on-error waits after every step with a failed read", async () => {
    const data = randomData(4 * MiB);
    const pauses: number[] = [];
    const run = await rescue(data, threeAreas, { pauseOnErrorMs: 5000 }, { hooks: { sleep: async (ms) => void pauses.push(ms) } });
    expect(pauses.length).toBeGreaterThan(0);
    expect(pauses.every((ms) => ms === 5000)).toBe(true);
    expect(pauses.length).toBeLessThanOrEqual(run.source.reads.filter((r) => r.result < 0).length);
  });
});

describe("-u, --cpass", () => {
  test("-u runs copying pass 2 and every retry pass forwards", async () => {
    const data = randomData(4 * MiB);
    const events: RescueEvent[] = [];
    await rescue(data, threeAreas, { unidirectional: true, retries: 2 }, { hooks: { onEvent: (e) => events.push(e) } });
    const p = phases(events);
    expect(p).toContain("Copying non-tried blocks... Pass 2 (forwards)");
    expect(p).toContain("Retrying bad sectors... Retry 2 (forwards)");
    expect(p.some((m) => m.includes("backwards"))).toBe(false);
    const both: RescueEvent[] = [];
    await rescue(data, threeAreas, { retries: 2 }, { hooks: { onEvent: (e) => both.push(e) } });
    expect(phases(both)).toContain("Retrying bad sectors... Retry 2 (backwards)");
  });
  test("--cpass selects copying passes; 0 skips copying", async () => {
    const data = randomData(4 * MiB);
    const events: RescueEvent[] = [];
    await rescue(data, threeAreas, { copyPasses: [1] }, { hooks: { onEvent: (e) => events.push(e) } });
    expect(phases(events).filter((m) => m.startsWith("Copying"))).toEqual(["Copying non-tried blocks... Pass 1 (forwards)"]);
    const none = await rescue(data, threeAreas, { copyPasses: [], noScrape: true, noTrim: true });
    expect(none.source.reads.length).toBe(0);
    expect(none.map.extents()).toEqual([{ pos: 0, size: 4 * MiB, status: "?" }]);
  });
});

describe("-A, -M (markForRetry)", () => {
  const mixed = () => {
    const map = new StatusMap(100 * 512, "+");
    map.set(10 * 512, 10 * 512, "*");
    map.set(20 * 512, 10 * 512, "/");
    map.set(30 * 512, 10 * 512, "-");
    return map;
  };
  const shape = (m: StatusMap) => m.extents().map((x) => `${x.pos / 512}+${x.size / 512}${x.status}`).join(" ");
  test("-A: non-trimmed and non-scraped → non-tried; -A -M: bad sectors too; -M: failed → non-trimmed", () => {
    const whole = Domain.whole(100 * 512);
    const a = mixed();
    expect(markForRetry(a, whole, true, false)).toBe(20 * 512);
    expect(shape(a)).toBe("0+10+ 10+20? 30+10- 40+60+");
    const am = mixed();
    markForRetry(am, whole, true, true);
    expect(shape(am)).toBe("0+10+ 10+30? 40+60+");
    const m = mixed();
    markForRetry(m, whole, false, true);
    expect(shape(m)).toBe("0+10+ 10+30* 40+60+");
  });
  test("only inside the domain; nothing asked, nothing moved", () => {
    const a = mixed();
    expect(markForRetry(a, new Domain([[15 * 512, 25 * 512]]), true, false)).toBe(10 * 512);
    expect(shape(a)).toBe("0+10+ 10+5* 15+10? 25+5/ 30+10- 40+60+");
    expect(markForRetry(mixed(), Domain.whole(100 * 512), false, false)).toBe(0);
  });
});

describe("domainEdgeGood (rescue --used-first, stage 1)", () => {
  // A domain piece ending inside a bad area that goes on past it, after a long good run.
  const piece = new Domain([[200 * KiB, 320 * KiB]]);
  const damage = { bad: [[264 * KiB, 400 * KiB]] as Array<[number, number]> };
  const failedIn = (run: { source: { reads: { offset: number; result: number }[] } }) => run.source.reads.filter((r) => r.result < 0 && r.offset >= 264 * KiB).length;

  test("by default the boundary counts as good data: the block looks like a small defect and is crawled", async () => {
    const run = await rescue(randomData(MiB), damage, { noScrape: true, retries: 0 }, { domain: piece });
    expect(failedIn(run)).toBeGreaterThanOrEqual(9);
  });

  test("false: the unread bytes beyond do not count; trimmed from both edges, no crawl", async () => {
    const run = await rescue(randomData(MiB), damage, { noScrape: true, retries: 0, domainEdgeGood: false }, { domain: piece });
    expect(failedIn(run)).toBeLessThanOrEqual(3);
    expect(run.map.statusAt(264 * KiB - 512)).toBe("+");
    expect(run.map.statusAt(264 * KiB)).toBe("-");
  });
});

describe("trimming at a domain edge with a bad area running through the gap (domainEdgeGood false)", () => {
  // Two ranges of --used-first; the first ends in bad sectors, the second begins with a
  // failed block (as an earlier stage or pass left them), the rest is done.
  const state = (gapEnd: number) => {
    const map = new StatusMap(MiB);
    map.set(0, 96 * KiB, "+");
    map.set(96 * KiB, 32 * KiB, "-");
    map.set(gapEnd, 64 * KiB, "*");
    map.set(gapEnd + 64 * KiB, MiB - gapEnd - 64 * KiB, "+");
    return map;
  };
  const damage = { bad: [[96 * KiB, 400 * KiB]] as Array<[number, number]>, failWhole: true };
  const readsFrom = (run: { source: { reads: { offset: number }[] } }, at: number) => run.source.reads.filter((r) => r.offset === at).length;

  test("across a gap narrower than a bad area: its leading edge is not read (the area runs through)", async () => {
    const run = await rescue(randomData(MiB), damage, { noScrape: true, retries: 0, domainEdgeGood: false }, { domain: new Domain([[0, 128 * KiB], [144 * KiB, MiB]]), map: state(144 * KiB) });
    expect(readsFrom(run, 144 * KiB)).toBe(0);
    expect(run.source.reads.length).toBeGreaterThan(0); // its trailing edge was trimmed
  });

  test("across a gap wider than a bad area, or with a domain edge counted as good: the leading edge is read", async () => {
    const wide = await rescue(randomData(MiB), damage, { noScrape: true, retries: 0, domainEdgeGood: false }, { domain: new Domain([[0, 128 * KiB], [256 * KiB, MiB]]), map: state(256 * KiB) });
    expect(readsFrom(wide, 256 * KiB)).toBe(1);
    const good = await rescue(randomData(MiB), damage, { noScrape: true, retries: 0 }, { domain: new Domain([[0, 128 * KiB], [144 * KiB, MiB]]), map: state(144 * KiB) });
    expect(readsFrom(good, 144 * KiB)).toBe(1);
  });
});

describe("pass 1 arriving past an earlier run's failures (resume, the stages of --used-first)", () => {
  const damage = { bad: [[256 * KiB, 512 * KiB]] as Array<[number, number]> };
  const earlier = (status: "*" | "+") => {
    const map = new StatusMap(MiB);
    map.set(0, 256 * KiB, "+");
    map.set(256 * KiB, 64 * KiB, status);
    return map;
  };

  test("after a failed block it skips at once, as after a failure of its own; after good data it reads on", async () => {
    const data = randomData(MiB);
    const failed = await rescue(data, damage, { noScrape: true, retries: 0 }, { map: earlier("*") });
    expect(failed.source.reads[0]!.offset).toBeGreaterThan(320 * KiB);
    expect(failed.map.statusAt(512 * KiB)).toBe("+");
    expect(failed.map.statusAt(512 * KiB - 512)).toBe("-");
    const good = await rescue(data, { bad: [[330 * KiB, 512 * KiB]] }, { noScrape: true, retries: 0 }, { map: earlier("+") });
    expect(good.source.reads[0]!.offset).toBe(320 * KiB);
  });
});
