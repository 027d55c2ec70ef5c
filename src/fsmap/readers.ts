// What a rescue has already brought to the destination, as a parser's ReadBytes (only bytes
// the map says are finished; anything else is unreadable, never the zeros of a not-yet-written
// image). The source itself is read through io/source-read-bytes.ts.
import type { Source } from "../io/source.ts";
import { MAX_READ_BYTES } from "../io/source-read-bytes.ts";
import type { StatusMap } from "../rescue/mapfile/status-map.ts";
import type { ReadBytes } from "./types.ts";

/**
 * Bytes of `image` that `map` marks finished ('+'), and only those. The image grows while a
 * rescue runs, and a --sparse one has holes (and may end early) where zeros were not
 * written: past its current end, finished bytes are zeros.
 */
export function readBytesRescued(image: Source, map: StatusMap): ReadBytes {
  return (offset, length) => {
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || length > MAX_READ_BYTES || offset + length > map.end) return null;
    if (length > 0 && map.totals(offset, offset + length)["+"] < length) return null;
    const buf = new Uint8Array(length);
    for (let done = 0; done < length; ) {
      const n = image.read(done ? buf.subarray(done) : buf, length - done, offset + done);
      if (n < 0) return null;
      if (n === 0) break;
      done += n;
    }
    return buf;
  };
}

/** Wraps a reader and notes every range it was asked for (what a partition-table decoder needed). */
export function recordingReader(read: ReadBytes, seen: [number, number][]): ReadBytes {
  return (offset, length) => {
    if (seen.length < 4096 && length > 0) seen.push([offset, offset + length]);
    return read(offset, length);
  };
}
