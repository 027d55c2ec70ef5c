// Conversions between GNU ddrescue mapfiles and safecopy/e2fsck bad-block lists, so a
// rescue can move between tools. A list only knows "bad" blocks of one size: going to a
// list, blocks that touch any byte in the chosen states are listed; coming from one,
// listed blocks become bad sectors ('-') and everything else finished ('+').
// Both directions stream: memory follows the map's extents, never the device size or
// the number of listed blocks.
import { statusMask } from "../rescue/mapfile/extent-chunk.ts";
import { StatusMap } from "../rescue/mapfile/status-map.ts";
import type { BlockStatus } from "../rescue/mapfile/status.ts";
import { BadblocksError, BadblockStream } from "./badblocks.ts";
import type { BlockSource } from "./mapfile-write.ts";

const PIECE = 64 * 1024;

/** Every block of `blockSize` touching a byte in one of `types`, one number per line, written in pieces (no strings). */
export function writeBadblocks(blocks: BlockSource, blockSize: number, types: readonly BlockStatus[], write: (bytes: Uint8Array) => void): void {
  const mask = statusMask(types.join(""));
  const buf = new Uint8Array(PIECE);
  let off = 0;
  let prev = -1;
  blocks.scan((start, end, code) => {
    if (!((1 << code) & mask)) return;
    let b = Math.max(Math.floor(start / blockSize), prev + 1);
    for (; b * blockSize < end; b++) {
      if (off + 20 > PIECE) {
        write(buf.subarray(0, off));
        off = 0;
      }
      off = putDecimal(buf, off, b);
      buf[off++] = 10;
    }
    prev = b - 1;
  });
  if (off > 0) write(buf.subarray(0, off));
}

/** How many lines writeBadblocks would write (without writing them). */
export function countBadblocks(blocks: BlockSource, blockSize: number, types: readonly BlockStatus[]): number {
  const mask = statusMask(types.join(""));
  let lines = 0;
  let prev = -1;
  blocks.scan((start, end, code) => {
    if (!((1 << code) & mask)) return;
    const first = Math.max(Math.floor(start / blockSize), prev + 1);
    const last = Math.ceil(end / blockSize) - 1;
    if (last >= first) lines += last - first + 1;
    prev = Math.max(prev, last);
  });
  return lines;
}

/** "%llu" of n (an integer below 2^53) into buf at off; returns the offset after it. */
function putDecimal(buf: Uint8Array, off: number, n: number): number {
  let digits = 1;
  for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
  for (let k = digits - 1, v = n; k >= 0; k--) {
    const d = v % 10;
    buf[off + k] = 48 + d;
    v = (v - d) / 10;
  }
  return off + digits;
}

export class UnsortedListError extends Error {
  constructor(readonly entry: number) {
    super(`bad-block list not sorted at entry ${entry}`);
  }
}

export interface ListToMap {
  map: StatusMap;
  /** Numbers read (0 with sawText: not a list). */
  entries: number;
  sawText: boolean;
}

/**
 * A bad-block list (bytes given in pieces by `feed`) as a map: listed blocks bad, the rest
 * finished. `size` is the device size; without it the map ends with the last listed block.
 */
export function badblocksToMap(feed: (push: (chunk: Uint8Array) => boolean) => void, blockSize: number, size?: number): ListToMap {
  const map = new StatusMap(0);
  let covered = 0; // end of what has been appended
  let ra = -1; // the bad range being collected [ra, rb)
  let rb = -1;
  let last = -1;
  let entries = 0;
  const limit = size ?? Infinity;
  const flush = () => {
    if (ra < 0 || ra >= limit) return;
    if (ra > covered) map.appendExtent(covered, 4);
    map.appendExtent(ra, 3);
    covered = rb;
  };
  const stream = new BadblockStream((n) => {
    if (n < last) throw new UnsortedListError(entries + 1);
    if (!Number.isSafeInteger((n + 1) * blockSize)) throw new BadblocksError(`block ${n} lies beyond 2^53 bytes (block size ${blockSize})`);
    last = n;
    entries++;
    const start = n * blockSize;
    if (rb >= start) rb = Math.max(rb, start + blockSize);
    else {
      flush();
      ra = start;
      rb = start + blockSize;
    }
  });
  feed((c) => stream.push(c));
  stream.finish();
  flush();
  const end = size ?? covered;
  if (covered < end) map.appendExtent(covered, 4);
  map.sealAppends(end, Math.max(covered, end));
  return { map, entries, sawText: stream.sawText };
}
