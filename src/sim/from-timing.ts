// `simulate from-timing`: a damage model from a real run of safecopy (`-T timing` and
// `-o badblocks`), so a failing device can be replayed. Blocks in the bad-block list are
// bad; blocks that failed and later read are weak (failing as often as they did);
// blocks that read much slower than usual are slow; the usual read time, the usual
// failure time are the timing model (the idea of safecopy's statistical timing study).
import type { TimingRecord } from "../formats/timing.ts";
import { diskTiming, emptyModel, type DamageExtent, type DamageModel } from "./model.ts";

export interface FromTimingOptions {
  blockSize: number;
  /** Device size in bytes; default: up to the last block seen. */
  size?: number;
  /** A read slower than this many times the median good read is a slow sector. */
  slowFactor?: number;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

export function modelFromTiming(records: TimingRecord[], badBlocks: number[], o: FromTimingOptions): DamageModel {
  const m = emptyModel(o.blockSize);
  const good = records.filter((r) => r.result > 0);
  const failed = records.filter((r) => r.result < 0);
  const readUs = median(good.filter((r) => r.result === o.blockSize).map((r) => r.micros)) || median(good.map((r) => r.micros));
  const failUs = median(failed.map((r) => r.micros));
  m.timing = { ...diskTiming, readNs: readUs * 1000, bytePs: 0, seekNs: 0, failNs: Math.max(0, failUs - readUs) * 1000 };
  const bad = new Set(badBlocks);
  const perBlock = new Map<number, DamageExtent>();
  const failures = new Map<number, number>();
  // slow = many times the usual read AND at least a millisecond more: scheduling noise on
  // microsecond reads must not become damage
  const threshold = Math.max(readUs * (o.slowFactor ?? 10), readUs + 1000);
  for (const r of records) {
    if (bad.has(r.block)) continue;
    if (r.result < 0) failures.set(r.block, (failures.get(r.block) ?? 0) + 1);
    else if (r.result > 0 && (failures.get(r.block) ?? 0) > 0)
      perBlock.set(r.block, extent(r.block, "weak", { fails: failures.get(r.block)! }));
    else if (r.result > 0 && readUs > 0 && r.micros > threshold && !perBlock.has(r.block))
      perBlock.set(r.block, extent(r.block, "slow", { costNs: (r.micros - readUs) * 1000 }));
  }
  for (const b of bad) perBlock.set(b, extent(b, "bad", {}));
  m.extents = merge([...perBlock.values()].sort((a, b) => a.first - b.first));
  // the end: where the last read ended (an end-of-file read, result 0, ends at its start)
  // A loop, not Math.max(...list): a long run has millions of records, more than a call's arguments.
  let end = 0;
  for (const r of records) end = Math.max(end, r.block * o.blockSize + (r.result > 0 ? r.result : r.result < 0 ? o.blockSize : 0));
  for (const b of badBlocks) end = Math.max(end, (b + 1) * o.blockSize);
  m.size = o.size ?? end;
  return m;
}

function extent(block: number, kind: DamageExtent["kind"], extra: Partial<DamageExtent>): DamageExtent {
  return { first: block, count: 1, kind, fails: 0, costNs: 0, failCostNs: 0, line: 0, ...extra };
}

/** Neighbouring blocks with the same behaviour become one range. */
function merge(sorted: DamageExtent[]): DamageExtent[] {
  const out: DamageExtent[] = [];
  for (const e of sorted) {
    const p = out[out.length - 1];
    if (p && p.first + p.count === e.first && p.kind === e.kind && p.fails === e.fails && p.costNs === e.costNs) p.count++;
    else out.push({ ...e });
  }
  return out;
}
