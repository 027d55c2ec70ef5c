// Whole-or-nothing reads for metadata: a superblock or cg header that comes back short
// is as unusable as one that fails, so both are reported as a negative errno.
import type { Source } from "../io/source.ts";

/** Read exactly `length` bytes at `offset`; returns length, 0 when the source ends first, or -errno
 *  (-EINVAL for an offset that is negative or not a safe integer). */
export function readExact(source: Source, buf: Uint8Array, length: number, offset: number): number {
  // Offsets are computed from on-disk fields: a negative or astronomically large one is
  // refused here (EINVAL), never handed to pread as a wrapped 64-bit number.
  if (!Number.isSafeInteger(offset) || offset < 0) return -22;
  if (source.size !== null && offset >= source.size) return 0;
  let done = 0;
  while (done < length) {
    const n = source.read(done === 0 ? buf : buf.subarray(done), length - done, offset + done);
    if (n < 0) return n;
    if (n === 0) return 0;
    done += n;
  }
  return done;
}
