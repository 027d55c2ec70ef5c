// Whole-or-nothing reads for metadata: a superblock or cg header that comes back short
// is as unusable as one that fails, so both are reported as a negative errno.
import type { Source } from "../io/source.ts";

/** Read exactly `length` bytes at `offset`; returns length, 0 when the source ends first, or -errno. */
export function readExact(source: Source, buf: Uint8Array, length: number, offset: number): number {
  let done = 0;
  while (done < length) {
    const n = source.read(done === 0 ? buf : buf.subarray(done), length - done, offset + done);
    if (n < 0) return n;
    if (n === 0) return 0;
    done += n;
  }
  return done;
}
