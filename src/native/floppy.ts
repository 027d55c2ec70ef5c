// Typed wrappers over the floppy controller ioctls. Every call returns its value or -errno.
import { shim } from "./library.ts";
import { cString } from "./cstring.ts";

export interface FloppyGeometry {
  /** Total sectors (512 bytes each). */
  sectors: number;
  sectorsPerTrack: number;
  heads: number;
  tracks: number;
  stretch: number;
  gap: number;
  rate: number;
  spec1: number;
  formatGap: number;
}

/**
 * A descriptor for controller ioctls only (O_RDWR|O_NONBLOCK, block devices only):
 * FDRESET and FDTWADDLE are refused on read-only descriptors. Never read or write through it.
 */
export const openControlRaw = (path: string): number => shim().shim_open_control(cString(path));

export const resetRaw = (fd: number): number => shim().shim_fd_reset(fd);
export const twaddleRaw = (fd: number): number => shim().shim_fd_twaddle(fd);

export function geometry(fd: number): FloppyGeometry | number {
  const out = new BigInt64Array(9);
  const r = shim().shim_fd_get_prm(fd, out);
  if (r < 0) return r;
  const v = Array.from(out, Number);
  return {
    sectors: v[0]!, sectorsPerTrack: v[1]!, heads: v[2]!, tracks: v[3]!, stretch: v[4]!,
    gap: v[5]!, rate: v[6]!, spec1: v[7]!, formatGap: v[8]!,
  };
}

/** Drive type name such as "H1440", or -errno (ENOTTY/EINVAL: not a floppy). */
export function driveType(fd: number): string | number {
  const out = new Uint8Array(17);
  const r = shim().shim_fd_drive_type(fd, out);
  if (r < 0) return r;
  const end = out.indexOf(0);
  return new TextDecoder().decode(out.subarray(0, end < 0 ? 16 : end));
}
