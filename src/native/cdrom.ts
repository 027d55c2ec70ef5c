// Typed wrappers over the CD-ROM/DVD ioctls. Every call returns its value or -errno:
// callers decide what a failure means (on a CD drive most of them mean "fall back").
import { shim } from "./library.ts";

export interface Msf {
  minute: number;
  second: number;
  frame: number;
}

export interface TocEntry {
  control: number;
  adr: number;
  lba: number;
  dataMode: number;
}

export interface DvdPhysical {
  bookType: number;
  bookVersion: number;
  discSize: number;
  layers: number;
}

/** The kernel's READ* ioctls write this much at most (CD_FRAMESIZE_RAW). */
export const CD_RAW_FRAME = 2352;

export const driveStatusRaw = (fd: number): number => shim().shim_cd_drive_status(fd);
export const discStatusRaw = (fd: number): number => shim().shim_cd_disc_status(fd);
export const lastWrittenRaw = (fd: number): number => shim().shim_cd_last_written(fd) as number;
export const resetRaw = (fd: number): number => shim().shim_cd_reset(fd);

/** Raw read of one frame (2352 bytes: sync, header, data, EDC/ECC) into buf; 0 or -errno. */
export function readRawFrame(fd: number, at: Msf, buf: Uint8Array): number {
  assertRoom(buf, CD_RAW_FRAME);
  return shim().shim_cd_read_raw(fd, at.minute, at.second, at.frame, buf);
}

/** Mode 1 user data (2048 bytes) into buf; 0 or -errno. */
export function readMode1(fd: number, at: Msf, buf: Uint8Array): number {
  assertRoom(buf, CD_RAW_FRAME);
  return shim().shim_cd_read_mode1(fd, at.minute, at.second, at.frame, buf);
}

/** Mode 2 (2336 bytes after the header) into buf; 0 or -errno. */
export function readMode2(fd: number, at: Msf, buf: Uint8Array): number {
  assertRoom(buf, CD_RAW_FRAME);
  return shim().shim_cd_read_mode2(fd, at.minute, at.second, at.frame, buf);
}

/** First and last track numbers, or -errno. */
export function tocHeader(fd: number): { first: number; last: number } | number {
  const r = shim().shim_cd_toc_header(fd);
  return r < 0 ? r : { first: r >> 8, last: r & 0xff };
}

export function tocEntry(fd: number, track: number): TocEntry | number {
  const out = new BigInt64Array(4);
  const r = shim().shim_cd_toc_entry(fd, track, out);
  if (r < 0) return r;
  return { control: Number(out[0]), adr: Number(out[1]), lba: Number(out[2]), dataMode: Number(out[3]) };
}

/** DVD physical format structure: succeeds only on DVD media. */
export function dvdPhysical(fd: number): DvdPhysical | number {
  const out = new BigInt64Array(4);
  const r = shim().shim_dvd_physical(fd, out);
  if (r < 0) return r;
  return { bookType: Number(out[0]), bookVersion: Number(out[1]), discSize: Number(out[2]), layers: Number(out[3]) };
}

// The ioctl writes a whole frame whatever the mode; a smaller buffer would be overrun in C.
function assertRoom(buf: Uint8Array, n: number): void {
  if (buf.length < n) throw new RangeError(`CD read buffer must hold ${n} bytes, got ${buf.length}`);
}
