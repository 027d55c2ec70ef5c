// A ReadBytes callback seen as a Source, so the existing decoders (src/ffs) that read
// through a Source run unchanged on whatever the callback reads: an image, the rescued
// part of a destination, a fuzzed buffer. "Unreadable" becomes EIO, never zeros.
import type { Source } from "../io/source.ts";
import type { ReadBytes } from "./types.ts";

const EIO = 5;

export function sourceFromReadBytes(read: ReadBytes, size: number, label = "(volume)"): Source {
  return {
    path: label,
    size,
    seekable: true,
    sectorSize: 512,
    alignment: 1,
    read(buf, length, offset) {
      if (offset >= size) return 0;
      const n = Math.min(length, size - offset);
      const got = read(offset, n);
      if (!got) return -EIO;
      buf.set(got.subarray(0, n));
      return n;
    },
    close() {},
  };
}
