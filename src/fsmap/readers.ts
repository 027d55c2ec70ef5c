// The two places a parser reads from: the source itself (`map used`, an image), and what a
// rescue has already brought to the destination (only bytes the map says are finished;
// anything else is unreadable, never the zeros of a not-yet-written image).
import type { Source } from "../io/source.ts";
import type { StatusMap } from "../rescue/mapfile/status-map.ts";
import type { ReadBytes } from "./types.ts";

/** Reads of more than this are refused: a parser asking for gigabytes at once is a bug or a crafted size. */
const MAX_READ = 64 << 20;

function readWhole(source: Source, offset: number, length: number): Uint8Array | null {
  if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || length > MAX_READ) return null;
  if (source.size !== null && offset + length > source.size) return null;
  const buf = new Uint8Array(length);
  for (let done = 0; done < length; ) {
    const n = source.read(done ? buf.subarray(done) : buf, length - done, offset + done);
    if (n <= 0) return null;
    done += n;
  }
  return buf;
}

export function readBytesFrom(source: Source): ReadBytes {
  return (offset, length) => readWhole(source, offset, length);
}

/**
 * Bytes of `image` that `map` marks finished ('+'), and only those. The image grows while a
 * rescue runs, and a --sparse one has holes (and may end early) where zeros were not
 * written: past its current end, finished bytes are zeros.
 */
export function readBytesRescued(image: Source, map: StatusMap): ReadBytes {
  return (offset, length) => {
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || length > MAX_READ || offset + length > map.end) return null;
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
