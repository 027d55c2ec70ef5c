// The binary state file shared with the preload library (layout: csrc/sim/sim.h).
// TypeScript decides everything; C only follows the compiled model and counts.
import { readFileSync, writeSync } from "node:fs";
import { writeFileAtomically } from "../util/atomic-file.ts";
import { DamageError, type DamageModel } from "./model.ts";

const HEADER_SIZE = 5488;
const EXTENT_SIZE = 48;
const EXTENTS_AT = 8192;
/** Per-sector attempt counters are kept for at most this many bad or slow sectors
 *  (weak and soft sectors always have one: their behaviour depends on it). */
export const MAX_COUNTED_SECTORS = 16 * 1024 * 1024;
const NO_COUNTER = 1n << 62n;

export const flags = { failWhole: 1, compat: 2, blockdev: 4, noStat: 8, seekLimit: 16, virtualClock: 32 } as const;
const kinds = { bad: 1, weak: 2, slow: 3, soft: 4 } as const;

/** Byte offsets of header fields (mirrors struct sim_header). */
export const at = {
  flags: 16, sectorSize: 24, size: 32, blksize: 40, extentCount: 48, extentOffset: 56, counterOffset: 64, counterCount: 72,
  imageDev: 80, imageIno: 88, tRead: 96, tBytePs: 104, tSector: 112, tFail: 120, tSeek: 128, tTravel: 136, sleepScale: 144,
  softFailCount: 152, recordDev: 160, recordIno: 168,
  reads: 224, bytes: 232, failed: 240, short: 248, damageReads: 256, einval: 264, seeks: 272, virtualNs: 280, opens: 288,
  head: 296, eofReads: 304, processes: 312,
  image: 368, asPath: 1392, asAbs: 2416, trace: 3440, record: 4464,
} as const;

export interface StateInput {
  model: DamageModel;
  /** Device size in bytes (the model's, or the image's). */
  size: number;
  image: string;
  imageDev: bigint;
  imageIno: bigint;
  asPath: string;
  asAbs: string;
  trace: string;
  /** The binary read record, already created by the driver (read-record.ts); null = none. */
  record?: { path: string; dev: bigint; ino: bigint } | null;
  /** The command's clocks run ahead by the virtual time not really slept (docs/simulate.md). */
  virtualClock?: boolean;
}

export interface StateLayout {
  /** Counter index of each extent (or -1 when it has none). */
  counterIndex: number[];
  counterCount: number;
}

function planCounters(m: DamageModel): StateLayout {
  const damaged = m.extents.reduce((n, e) => n + e.count, 0);
  // Weak and soft sectors cannot do without their counter: refuse (one line) rather than
  // allocate 4 bytes for each of 10^9 of them.
  const needed = m.extents.reduce((n, e) => (e.kind === "weak" || e.kind === "soft" ? n + e.count : n), 0);
  if (needed > MAX_COUNTED_SECTORS)
    throw new DamageError(`${needed} weak or soft sectors on the simulated device: the simulator keeps a counter for each, at most ${MAX_COUNTED_SECTORS}`);
  const countAll = damaged <= MAX_COUNTED_SECTORS;
  let next = 0;
  const counterIndex = m.extents.map((e) => {
    if (!countAll && (e.kind === "bad" || e.kind === "slow")) return -1;
    const i = next;
    next += e.count;
    return i;
  });
  return { counterIndex, counterCount: next };
}

export function buildState(s: StateInput): { bytes: Uint8Array; layout: StateLayout } {
  const m = s.model;
  const layout = planCounters(m);
  const counterOffset = EXTENTS_AT + m.extents.length * EXTENT_SIZE;
  const total = counterOffset + layout.counterCount * 4;
  const bytes = new Uint8Array(total);
  const v = new DataView(bytes.buffer);
  const u64 = (off: number, n: number | bigint) => v.setBigUint64(off, BigInt(n), true);
  bytes.set(new TextEncoder().encode("SALVSIM1"), 0);
  v.setUint32(8, 1, true);
  v.setUint32(12, HEADER_SIZE, true);
  let f = 0;
  if (m.onError === "fail") f |= flags.failWhole;
  if (m.device === "block") f |= flags.blockdev | flags.seekLimit;
  if (m.safecopy) f |= flags.compat | flags.noStat | flags.seekLimit;
  if (s.virtualClock) f |= flags.virtualClock;
  u64(at.flags, f);
  u64(at.sectorSize, m.sectorSize);
  u64(at.size, s.size);
  u64(at.blksize, m.blksize ?? Math.max(4096, m.sectorSize));
  u64(at.extentCount, m.extents.length);
  u64(at.extentOffset, EXTENTS_AT);
  u64(at.counterOffset, counterOffset);
  u64(at.counterCount, layout.counterCount);
  u64(at.imageDev, s.imageDev);
  u64(at.imageIno, s.imageIno);
  const t = m.timing;
  u64(at.tRead, Math.round(t.readNs));
  u64(at.tBytePs, Math.round(t.bytePs));
  u64(at.tSector, Math.round(t.sectorNs));
  u64(at.tFail, Math.round(t.failNs));
  u64(at.tSeek, Math.round(t.seekNs));
  u64(at.tTravel, Math.round(t.travelNs));
  v.setFloat64(at.sleepScale, t.sleepScale, true);
  u64(at.softFailCount, m.safecopy?.softFailCount ?? 0);
  u64(at.head, 0);
  putString(bytes, at.image, s.image);
  putString(bytes, at.asPath, s.asPath);
  putString(bytes, at.asAbs, s.asAbs);
  putString(bytes, at.trace, s.trace);
  if (s.record) {
    putString(bytes, at.record, s.record.path);
    u64(at.recordDev, s.record.dev);
    u64(at.recordIno, s.record.ino);
  }
  m.extents.forEach((e, i) => {
    const o = EXTENTS_AT + i * EXTENT_SIZE;
    u64(o, e.first);
    u64(o + 8, e.count);
    v.setUint32(o + 16, kinds[e.kind], true);
    v.setUint32(o + 20, e.fails, true);
    u64(o + 24, Math.round(e.costNs));
    u64(o + 32, Math.round(e.failCostNs));
    const ci = layout.counterIndex[i]!;
    u64(o + 40, ci < 0 ? NO_COUNTER : BigInt(ci));
  });
  return { bytes, layout };
}

function putString(bytes: Uint8Array, off: number, s: string): void {
  const enc = new TextEncoder().encode(s);
  if (enc.length >= 1024) throw new RangeError(`path too long for the simulator (max 1023 bytes): ${s}`);
  bytes.set(enc, off);
}

/** The state file lives in a fresh private directory; written like every other output. */
export function writeState(path: string, bytes: Uint8Array): void {
  writeFileAtomically(path, (fd) => void writeSync(fd, bytes));
}

/** The counters and statistics as the preload library left them. */
export interface RawState {
  view: DataView;
  counters: Int32Array;
  counter(field: keyof typeof at): number;
}

export function readState(path: string): RawState {
  const buf = readFileSync(path);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const off = Number(view.getBigUint64(at.counterOffset, true));
  const n = Number(view.getBigUint64(at.counterCount, true));
  const counters = new Int32Array(n);
  for (let i = 0; i < n; i++) counters[i] = view.getInt32(off + i * 4, true);
  return { view, counters, counter: (f) => Number(view.getBigUint64(at[f], true)) };
}

