// File type, size and identity, decoded from the shim's flat 64-bit stat record.
import { shim } from "./library.ts";
import { check } from "./io.ts";
import { cString } from "./cstring.ts";

export type FileKind = "other" | "regular" | "block" | "char" | "fifo" | "directory" | "socket" | "symlink";
const kinds: FileKind[] = ["other", "regular", "block", "char", "fifo", "directory", "socket", "symlink"];

export interface FileStat {
  kind: FileKind;
  mode: number;
  size: number;
  blksize: number;
  /** Device and inode identify a file: equal pairs mean the same file (source = target). */
  dev: bigint;
  ino: bigint;
  rdev: bigint;
  blocks: number;
}

const RECORD_SIZE = 64;

function decode(buf: Uint8Array): FileStat {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = (i: number) => Number(v.getBigInt64(i * 8, true));
  const b = (i: number) => v.getBigUint64(i * 8, true);
  return { kind: kinds[n(0)] ?? "other", mode: n(1), size: n(2), blksize: n(3), dev: b(4), ino: b(5), rdev: b(6), blocks: n(7) };
}

let layoutChecked = false;

function record(): Uint8Array {
  // Guard against csrc and this file drifting apart (once: safecopy reopens after every failed read).
  if (!layoutChecked && shim().shim_sizeof_stat() !== RECORD_SIZE) throw new Error("shim_stat layout mismatch between csrc/shim.h and src/native/stat.ts");
  layoutChecked = true;
  return new Uint8Array(RECORD_SIZE);
}

export function statPath(path: string): FileStat {
  const buf = record();
  check(shim().shim_stat(cString(path), buf), "stat", path);
  return decode(buf);
}

export function statFd(fd: number, path?: string): FileStat {
  const buf = record();
  check(shim().shim_fstat(fd, buf), "stat", path);
  return decode(buf);
}

export function sameFile(a: FileStat, b: FileStat): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}
