// CD addressing: logical block addresses (LBA) and Minute:Second:Frame (MSF).
// A CD plays at 75 frames (sectors) per second, and the first 2 seconds (150 frames)
// of the program area are the pregap: LBA 0 is MSF 00:02:00. The kernel's READ*
// ioctls take MSF, and every raw sector's header repeats its own MSF in BCD.
import type { Msf } from "../native/cdrom.ts";

export const FRAMES_PER_SECOND = 75;
export const SECONDS_PER_MINUTE = 60;
/** Frames before LBA 0 (the 2-second pregap). */
export const MSF_OFFSET = 2 * FRAMES_PER_SECOND;
const FRAMES_PER_MINUTE = FRAMES_PER_SECOND * SECONDS_PER_MINUTE;
/** The ioctl's minute field is one byte. */
const MAX_FRAME = 256 * FRAMES_PER_MINUTE - 1;
/** The highest LBA an MSF address can name. */
export const MAX_MSF_LBA = MAX_FRAME - MSF_OFFSET;

export function lbaToMsf(lba: number): Msf {
  const f = lba + MSF_OFFSET;
  if (!Number.isInteger(lba) || f < 0 || f > MAX_FRAME) throw new RangeError(`LBA ${lba} has no MSF address`);
  return {
    minute: Math.floor(f / FRAMES_PER_MINUTE),
    second: Math.floor(f / FRAMES_PER_SECOND) % SECONDS_PER_MINUTE,
    frame: f % FRAMES_PER_SECOND,
  };
}

export function msfToLba(m: Msf): number {
  return m.minute * FRAMES_PER_MINUTE + m.second * FRAMES_PER_SECOND + m.frame - MSF_OFFSET;
}

export function formatMsf(m: Msf): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(m.minute)}:${two(m.second)}:${two(m.frame)}`;
}

/** Raw sector headers store MSF as binary-coded decimal (0x59 means 59). */
export function fromBcd(byte: number): number {
  return (byte >> 4) * 10 + (byte & 0x0f);
}

export function toBcd(n: number): number {
  return (Math.floor(n / 10) << 4) | n % 10;
}
