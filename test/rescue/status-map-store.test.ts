// The chunked StatusMap against a one-byte-per-position reference model: random set()
// sequences (enough extents to split and merge chunks), snapshots that must not change
// afterwards, the incremental totals, lookups by index and position, and nextWork/Domain
// against brute force.
import { expect, test } from "bun:test";
import { Domain, nextWork, type Range } from "../../src/rescue/mapfile/domain.ts";
import { CHUNK_CAPACITY, chunkStats } from "../../src/rescue/mapfile/extent-chunk.ts";
import { StatusMap, type Extent } from "../../src/rescue/mapfile/status-map.ts";
import type { BlockStatus } from "../../src/rescue/mapfile/status.ts";

const ST: BlockStatus[] = ["?", "*", "/", "-", "+"];

/** xorshift: deterministic random numbers. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

function modelExtents(bytes: string[]): Extent[] {
  const out: Extent[] = [];
  bytes.forEach((s, p) => {
    const last = out[out.length - 1];
    if (last && last.status === s) last.size++;
    else out.push({ pos: p, size: 1, status: s as BlockStatus });
  });
  return out;
}

function modelTotals(bytes: string[], from = 0, to = bytes.length): Record<BlockStatus, number> {
  const t: Record<BlockStatus, number> = { "?": 0, "*": 0, "/": 0, "-": 0, "+": 0 };
  for (let p = Math.max(0, from); p < Math.min(to, bytes.length); p++) t[bytes[p] as BlockStatus]++;
  return t;
}

for (const seed of [1, 2, 3, 4]) {
  test(`random set() sequences match the reference model (seed ${seed})`, () => {
    const r = rng(seed);
    const end = 30000;
    const model = new Array<string>(end).fill("?");
    const map = new StatusMap(end);
    const snaps: Array<{ snap: ReturnType<StatusMap["snapshot"]>; expected: Extent[] }> = [];
    for (let step = 0; step < 6000; step++) {
      // Mostly small updates (many extents, chunk splits), sometimes wide ones (merges, deletions across chunks).
      const wide = r() < 0.03;
      const pos = Math.floor(r() * (end + 20)) - 10;
      const size = wide ? Math.floor(r() * 8000) : 1 + Math.floor(r() * 4);
      const s = ST[Math.floor(r() * (wide ? 5 : 4))]!; // wide ones may finish a region
      map.set(pos, size, s);
      for (let p = Math.max(0, pos); p < Math.min(end, pos + size); p++) model[p] = s;
      if (step % 500 === 0) snaps.push({ snap: map.snapshot(), expected: modelExtents(model) });
      if (step % 250 === 0) {
        const ext = modelExtents(model);
        expect(map.extents()).toEqual(ext);
        expect(map.count).toBe(ext.length);
        expect(map.totals()).toEqual(modelTotals(model));
        expect(map.badAreas()).toBe(ext.filter((e) => e.status === "-").length);
        const a = Math.floor(r() * end);
        const b = a + Math.floor(r() * 3000);
        expect(map.totals(a, b)).toEqual(modelTotals(model, a, b));
        for (let k = 0; k < 50; k++) {
          const p = Math.floor(r() * end);
          const i = map.indexAt(p);
          const e = ext[i]!;
          expect(e.pos <= p && p < e.pos + e.size).toBe(true);
          expect([map.startOf(i), map.endOf(i), map.statusOf(i), map.statusAt(p)]).toEqual([e.pos, e.pos + e.size, e.status, model[p] as BlockStatus]);
        }
      }
    }
    // Snapshots are frozen: later updates never show in them.
    for (const { snap, expected } of snaps) expect(snap.extents()).toEqual(expected);
    expect(map.extents()).toEqual(modelExtents(model));
  });
}

test("fromExtents merges equal neighbours, extends a short map with non-tried space, clips a long one", () => {
  const m = StatusMap.fromExtents([{ pos: 0, size: 10, status: "+" }, { pos: 10, size: 5, status: "+" }, { pos: 15, size: 5, status: "-" }], 30);
  expect(m.extents()).toEqual([{ pos: 0, size: 15, status: "+" }, { pos: 15, size: 5, status: "-" }, { pos: 20, size: 10, status: "?" }]);
  expect(StatusMap.fromExtents([{ pos: 0, size: 10, status: "+" }, { pos: 10, size: 10, status: "-" }], 12).extents()).toEqual([{ pos: 0, size: 10, status: "+" }, { pos: 10, size: 2, status: "-" }]);
  expect(() => StatusMap.fromExtents([{ pos: 1, size: 1, status: "+" }])).toThrow(RangeError);
  expect(new StatusMap(0).extents()).toEqual([]);
  // Extending a loaded map (resume onto a larger source) keeps the counters right.
  const merged = StatusMap.fromExtents([{ pos: 0, size: 10, status: "?" }]);
  merged.sealAppends(30, 10);
  expect([merged.count, merged.totals()["?"], merged.runsOf("?")]).toEqual([1, 30, 1]);
  const added = StatusMap.fromExtents([{ pos: 0, size: 10, status: "+" }]);
  added.sealAppends(30, 10);
  expect([added.count, added.totals()["?"], added.totals()["+"], added.runsOf("?")]).toEqual([2, 20, 10, 1]);
  expect(StatusMap.fromExtents([]).count).toBe(0);
});

/** Brute force: walk every byte from pos in direction dir. */
function bruteWork(model: string[], ranges: Range[], statuses: string, pos: number, dir: 1 | -1): Range | null {
  const inDomain = (p: number) => ranges.some(([a, b]) => p >= a && p < b);
  const ok = (p: number) => p >= 0 && p < model.length && statuses.includes(model[p]!) && inDomain(p);
  const ext = modelExtents(model);
  const extOf = (p: number) => ext.find((e) => p >= e.pos && p < e.pos + e.size)!;
  const rangeOf = (p: number) => ranges.find(([a, b]) => p >= a && p < b)!;
  if (dir > 0) {
    for (let p = Math.max(0, pos); p < model.length; p++) {
      if (!ok(p)) continue;
      const e = extOf(p);
      const [a, b] = rangeOf(p);
      return [p, Math.min(b, e.pos + e.size)];
    }
  } else {
    for (let p = Math.min(pos, model.length) - 1; p >= 0; p--) {
      if (!ok(p)) continue;
      const e = extOf(p);
      const [a] = rangeOf(p);
      return [Math.max(a, e.pos), p + 1];
    }
  }
  return null;
}

test("nextWork and Domain lookups match brute force on a sparse domain", () => {
  const r = rng(9);
  const end = 4000;
  const model = new Array<string>(end).fill("+");
  const map = new StatusMap(end, "+");
  for (let k = 0; k < 600; k++) {
    const p = Math.floor(r() * end);
    const n = 1 + Math.floor(r() * 6);
    const s = ST[Math.floor(r() * 5)]!;
    map.set(p, n, s);
    for (let q = p; q < Math.min(end, p + n); q++) model[q] = s;
  }
  const ranges: Range[] = [];
  for (let a = Math.floor(r() * 50); a < end; a += 20 + Math.floor(r() * 200)) ranges.push([a, Math.min(end, a + 1 + Math.floor(r() * 30))]);
  const domain = new Domain(ranges);
  expect(domain.size).toBe(ranges.reduce((t, [a, b]) => t + b - a, 0));
  for (let k = 0; k < 400; k++) {
    const p = Math.floor(r() * (end + 10)) - 5;
    expect(domain.contains(p)).toBe(ranges.some(([a, b]) => p >= a && p < b));
    const statuses = ["?", "-", "*/", "?*/-"][k % 4]!;
    const dir = k % 2 ? 1 : -1;
    expect(nextWork(map, domain, statuses, p, dir)).toEqual(bruteWork(model, ranges, statuses, p, dir));
  }
  expect(nextWork(map, Domain.whole(end), "?*/-+", 0, 1)).toEqual([0, map.endOf(0)]);
});

test("reading on from an edge (forwards and backwards) matches the model", () => {
  const r = rng(5);
  const end = 40000;
  const model = new Array<string>(end).fill("?");
  const map = new StatusMap(end);
  const mark = (p: number, n: number, s: BlockStatus) => {
    map.set(p, n, s);
    for (let q = Math.max(0, p); q < Math.min(end, p + n); q++) model[q] = s;
  };
  for (let p = 0; p < end / 2; ) {
    const n = 1 + Math.floor(r() * 7);
    mark(p, n, r() < 0.1 ? "-" : "+");
    p += n;
  }
  for (let p = end; p > end / 2; ) {
    const n = 1 + Math.floor(r() * 7);
    mark(p - n, n, r() < 0.1 ? "*" : "+");
    p -= n;
  }
  expect(map.extents()).toEqual(modelExtents(model));
  expect(map.totals()).toEqual(modelTotals(model));
  expect(map.badAreas()).toBe(modelExtents(model).filter((e) => e.status === "-").length);
  map.relabel("*", "-");
  expect(map.extents()).toEqual(modelExtents(model.map((s) => (s === "*" ? "-" : s))));
});

test("relabel on a map of many chunks: merges across chunk edges, empties whole chunks, leaves a snapshot as it was", () => {
  const r = rng(17);
  const codes = "?/+-*";
  const model: string[] = [];
  const map = new StatusMap(0);
  // 30 000 extents of 1-3 bytes; a stretch of alternating '?' and '/' longer than a chunk,
  // which relabelling '?' to '/' turns into one extent (whole chunks merge into the one before).
  let pos = 0;
  let last = "";
  const push = (st: string, n: number) => {
    if (st !== last) map.appendExtent(pos, "?*/-+".indexOf(st)); // status codes are indices of "?*/-+"
    for (let q = 0; q < n; q++) model.push(st);
    pos += n;
    last = st;
  };
  for (let k = 0; k < 30_000; k++) {
    const st = k >= 12_000 && k < 22_000 ? (k % 2 ? "?" : "/") : codes[Math.floor(r() * 5)]!;
    push(st, 1 + Math.floor(r() * 3));
  }
  map.sealAppends(pos, pos);
  expect(map.extents()).toEqual(modelExtents(model));
  const before = map.snapshot();
  const frozen = before.extents();
  for (const [from, to] of [["?", "/"], ["*", "-"], ["/", "+"]] as const) {
    // In place: no extent is inserted or removed one by one (set() would shift entries).
    const shifted = chunkStats.shifted;
    map.relabel(from, to);
    expect(chunkStats.shifted).toBe(shifted);
    for (let q = 0; q < model.length; q++) if (model[q] === from) model[q] = to;
    expect(map.extents()).toEqual(modelExtents(model));
    expect(map.totals()).toEqual(modelTotals(model));
    expect(map.count).toBe(modelExtents(model).length);
    expect(map.badAreas()).toBe(modelExtents(model).filter((e) => e.status === "-").length);
  }
  expect(before.extents()).toEqual(frozen);
  // Still a working map: further updates agree with the model.
  for (let k = 0; k < 2000; k++) {
    const p = Math.floor(r() * model.length);
    const n = 1 + Math.floor(r() * 40);
    const st = "?*/-+"[Math.floor(r() * 5)]! as BlockStatus;
    map.set(p, n, st);
    for (let q = p; q < Math.min(model.length, p + n); q++) model[q] = st;
  }
  expect(map.extents()).toEqual(modelExtents(model));
  expect(map.totals()).toEqual(modelTotals(model));
});

test("200 000 updates in the middle of a 1 M-extent map each move at most one chunk's entries", () => {
  const map = new StatusMap(0);
  for (let i = 0; i < 1_000_000; i++) map.appendExtent(i * 1000, i % 2 ? 3 : 4);
  map.sealAppends(1e9, 1e9);
  const r = rng(11);
  const before = chunkStats.shifted;
  const t0 = performance.now();
  for (let i = 0; i < 200_000; i++) map.set(2.5e8 + Math.floor(r() * 5e8), 1 + Math.floor(r() * 600), r() < 0.5 ? "-" : "+");
  const ms = performance.now() - t0;
  const perUpdate = (chunkStats.shifted - before) / 200_000;
  console.log(`200k middle updates: ${ms.toFixed(0)} ms, ${perUpdate.toFixed(1)} entries moved per update (the old flat arrays moved ~500 000)`);
  expect(perUpdate).toBeLessThanOrEqual(CHUNK_CAPACITY);
  expect(ms).toBeLessThan(30_000); // generous: ~1 s here; the flat arrays took minutes
  // Still canonical and consistent.
  let prev = -1;
  let count = 0;
  let bytes = 0;
  let unmerged = 0;
  map.scan((a, b, code) => {
    if (code === prev) unmerged++;
    prev = code;
    count++;
    bytes += b - a;
  });
  expect(unmerged).toBe(0);
  expect(count).toBe(map.count);
  expect(bytes).toBe(1e9);
  expect(Object.values(map.totals()).reduce((s, v) => s + v, 0)).toBe(1e9);
}, 60_000);
