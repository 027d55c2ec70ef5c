// The binary read record of a simulated run (`simulate --record FILE`): a 32-byte header
// written here, then one 40-byte record per read of the device, appended by the preload
// library (csrc/sim/record.c, struct sim_read_record). Little-endian, fixed size, so any
// number of processes and threads can append with O_APPEND and a reader needs no parser.
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from "node:fs";
import { DamageError } from "./model.ts";

export const RECORD_MAGIC = "SALVRDS1";
export const RECORD_HEADER_SIZE = 32;
export const RECORD_SIZE = 40;

/** Bits of ReadRecord.flags (SIM_REC_* in csrc/sim/sim.h). */
export const recordFlags = { error: 1, damage: 2, einval: 4, eof: 8, short: 16 } as const;

export interface ReadRecord {
  /** Byte offset and length the tool asked for. */
  offset: number;
  length: number;
  /** Bytes transferred, or -errno. */
  result: number;
  /** Virtual clock (ns) when the read began and ended. */
  startNs: number;
  endNs: number;
  flags: number;
  pid: number;
}

export interface RecordHeader {
  deviceSize: number;
  sectorSize: number;
}

/** Create the record file exclusively (never through a symlink, mode 0600) and write its
 *  header; the device and inode let the library check it appends to this very file. */
export function createRecordFile(path: string, h: RecordHeader): { path: string; dev: bigint; ino: bigint } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DamageError(`cannot create the read record ${path}: ${code === "EEXIST" ? "it exists (give a new file)" : (code ?? String(e))}`);
  }
  try {
    const head = new Uint8Array(RECORD_HEADER_SIZE);
    const v = new DataView(head.buffer);
    head.set(new TextEncoder().encode(RECORD_MAGIC), 0);
    v.setUint32(8, 1, true);
    v.setUint32(12, RECORD_SIZE, true);
    v.setBigUint64(16, BigInt(h.deviceSize), true);
    v.setBigUint64(24, BigInt(h.sectorSize), true);
    writeSync(fd, head);
    const st = fstatSync(fd, { bigint: true });
    return { path, dev: st.dev, ino: st.ino };
  } finally {
    closeSync(fd);
  }
}

/** Is this file a read record (by its magic)? */
export function isRecordFile(path: string): boolean {
  let fd = -1;
  try {
    fd = openSync(path, "r");
    const head = new Uint8Array(8);
    return readSync(fd, head, 0, 8, 0) === 8 && new TextDecoder().decode(head) === RECORD_MAGIC;
  } catch {
    return false;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** The header of a read record, checked. */
export function readRecordHeader(path: string): RecordHeader {
  const fd = openSync(path, "r");
  try {
    return header(fd, path);
  } finally {
    closeSync(fd);
  }
}

function header(fd: number, path: string): RecordHeader {
  const head = new Uint8Array(RECORD_HEADER_SIZE);
  const hv = new DataView(head.buffer);
  if (readSync(fd, head, 0, RECORD_HEADER_SIZE, 0) !== RECORD_HEADER_SIZE || new TextDecoder().decode(head.subarray(0, 8)) !== RECORD_MAGIC)
    throw new DamageError(`${path}: not a salvage read record (simulate --record)`);
  if (hv.getUint32(8, true) !== 1 || hv.getUint32(12, true) !== RECORD_SIZE) throw new DamageError(`${path}: unsupported read record version`);
  return { deviceSize: Number(hv.getBigUint64(16, true)), sectorSize: Number(hv.getBigUint64(24, true)) };
}

const CHUNK_RECORDS = 65536;

/** A little-endian u64 as a number (exact below 2^53: 8 PiB, or 104 days in ns), without BigInt. */
const u64 = (v: DataView, o: number) => v.getUint32(o, true) + v.getUint32(o + 4, true) * 4294967296;

/** Call `each` for every whole record in file order. The record object is reused between
 *  calls (millions of reads must not mean millions of objects). */
export function readRecords(path: string, each: (r: ReadRecord) => void): void {
  const fd = openSync(path, "r");
  try {
    header(fd, path);
    const buf = new Uint8Array(CHUNK_RECORDS * RECORD_SIZE);
    const v = new DataView(buf.buffer);
    const r: ReadRecord = { offset: 0, length: 0, result: 0, startNs: 0, endNs: 0, flags: 0, pid: 0 };
    for (let pos = RECORD_HEADER_SIZE; ; ) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      const whole = Math.floor(n / RECORD_SIZE);
      for (let i = 0; i < whole; i++) {
        const o = i * RECORD_SIZE;
        r.offset = u64(v, o);
        r.length = v.getUint32(o + 8, true);
        r.result = v.getInt32(o + 12, true);
        r.startNs = u64(v, o + 16);
        r.endNs = u64(v, o + 24);
        r.flags = v.getUint32(o + 32, true);
        r.pid = v.getUint32(o + 36, true);
        each(r);
      }
      // a torn last record (the disk filled up) is ignored
      if (n < buf.length) break;
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}
