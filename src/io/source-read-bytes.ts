// A Source seen as the `ReadBytes` callback the pure parsers (src/partitions, src/fsmap) take:
// exactly the bytes asked for, or null for anything short, unreadable or out of range.
import type { ReadBytes } from "../fsmap/types.ts";
import { readExact } from "../ffs/read.ts";
import type { Source } from "./source.ts";

/** Reads larger than this are refused (null): a parser never needs them, a hostile table may ask. */
export const MAX_READ_BYTES = 64 << 20;

export function readBytesOf(source: Source): ReadBytes {
  return (offset, length) => {
    if (!Number.isSafeInteger(length) || length < 0 || length > MAX_READ_BYTES) return null;
    if (source.size !== null && offset + length > source.size) return null;
    const buf = new Uint8Array(length);
    return length === 0 || readExact(source, buf, length, offset) === length ? buf : null;
  };
}
