// The pure parts of the aged-disk maker of bench-used-first: the churn plan and the spread
// of used bytes over the disk (the mounting itself is bench code, run by the bench only).
import { describe, expect, test } from "bun:test";
import { churnPlan, spreadOf } from "../../scripts/bench-used-first-aged.ts";

/** Replays a plan: the live files (path -> size) after each round. */
function replay(plan: ReturnType<typeof churnPlan>): Map<string, number>[] {
  const live = new Map<string, number>();
  return plan.map((round) => {
    for (const w of round.writes) {
      expect(live.has(w.path)).toBe(false); // a name is never reused
      live.set(w.path, w.size);
    }
    for (const d of round.deletes) {
      expect(live.has(d)).toBe(true); // only live files are deleted
      live.delete(d);
    }
    return new Map(live);
  });
}
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe("churnPlan", () => {
  test("is a function of its seed", () => {
    expect(churnPlan(4 << 20, 7)).toEqual(churnPlan(4 << 20, 7));
    expect(churnPlan(4 << 20, 7)).not.toEqual(churnPlan(4 << 20, 8));
  });

  test("every round tops the live files up to the target; the last deletes nothing", () => {
    const target = 18 << 20;
    const plan = churnPlan(target, 3, 5, 0.5);
    expect(plan.length).toBe(5);
    expect(plan[4]!.deletes).toEqual([]);
    const states = replay(plan);
    expect(total(states[4]!)).toBe(target);
    for (const round of plan) expect(round.writes.length).toBeGreaterThan(0);
    // churn: far more is written over the disk's life than stays on it
    const written = plan.flatMap((r) => r.writes).reduce((n, w) => n + w.size, 0);
    expect(written).toBeGreaterThan(2 * target);
  });

  test("deletes about the asked share, and spreads files over the top-level directories", () => {
    const plan = churnPlan(64 << 20, 11, 6, 0.3);
    const before = replay(plan.map((r) => ({ writes: r.writes, deletes: [] })));
    let deleted = 0;
    let alive = 0;
    for (let i = 0; i < plan.length - 1; i++) {
      deleted += plan[i]!.deletes.length;
      alive += before[i]!.size - plan.slice(0, i).reduce((n, r) => n + r.deletes.length, 0);
    }
    expect(deleted / alive).toBeGreaterThan(0.2);
    expect(deleted / alive).toBeLessThan(0.4);
    const tops = new Set(plan.flatMap((r) => r.writes.map((w) => w.path.split("/")[0])));
    expect(tops.size).toBe(7);
    for (const w of plan.flatMap((r) => r.writes)) {
      expect(w.size).toBeGreaterThanOrEqual(1);
      expect(w.size).toBeLessThanOrEqual(4 << 20);
    }
  });
});

describe("spreadOf", () => {
  test("shares per slice, ranges cut at slice edges", () => {
    expect(spreadOf([{ start: 0, length: 200 }], 800)).toEqual([0.5, 0.5, 0, 0, 0, 0, 0, 0]);
    // 150..250 straddles two slices; 700..900 runs past the end and counts up to 800 only
    expect(spreadOf([{ start: 150, length: 100 }, { start: 700, length: 200 }], 800, 4)).toEqual([0.25, 0.25, 0, 0.5]);
  });

  test("nothing used: all zero; the shares sum to 1 otherwise", () => {
    expect(spreadOf([], 1024)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const s = spreadOf([{ start: 3, length: 500 }, { start: 600, length: 7 }], 1000);
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
