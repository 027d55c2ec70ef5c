// Typed wrappers over the byte scans of csrc/text-scan.c.
import { shim } from "./library.ts";

/** Set, in `set` (512 words), the bit of every byte 4-gram of bytes (see csrc/text-scan.c). */
export function gramSetInto(bytes: Uint8Array, set: Uint32Array): void {
  if (set.length < 512) throw new RangeError("a 4-gram set has 512 words");
  if (bytes.length >= 4) shim().shim_text_gram_set(bytes, bytes.length, set);
}

/** flags[i] = 1 when the i-th `unit`-byte piece of buf[0, length) has a control character
 *  that text does not contain before its first NUL. */
export function controlMap(buf: Uint8Array, length: number, unit: number, flags: Uint8Array): number {
  if (flags.length < Math.floor(length / unit) || length > buf.length) throw new RangeError("controlMap: buffer or flags too short");
  return shim().shim_text_control_map(buf, length, unit, flags) as number;
}
