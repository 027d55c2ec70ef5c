// MARK(from, to): what safecopy does with an unreadable range. It writes the -M pattern
// over it in the destination and lists every touched block in the -o file, but only
// inside include blocks (-I) and never inside exclude blocks (-X). Positions handed in
// are relative to -s; block numbers written out are absolute, in units of -b.
import type { ExcludeCursor, IncludeCursor } from "./block-cursors.ts";
import { DebugBits, type EngineSink, type SafecopyConfig } from "./types.ts";

export class Marking {
  /** Destination offset below which marks are not rewritten (safecopy's lastmarked). */
  lastMarked = 0;
  /** Last block number written to the -o list; the list stays strictly increasing. */
  lastBadBlock = -1;
  /** Set when a list is unsorted or a write failed: the run must stop with exit 2. */
  failed = false;
  private readonly pattern: Uint8Array;

  constructor(
    private readonly cfg: SafecopyConfig,
    private readonly sink: EngineSink,
    private readonly include: IncludeCursor | null,
    private readonly exclude: ExcludeCursor | null,
  ) {
    this.pattern = buildPattern(cfg.marker, cfg.blockSize);
  }

  /** Interpolated lines come as functions: they are built only when their --debug bit is on. */
  private debug(bit: number, text: string | (() => string)): void {
    if (this.cfg.debug & bit) this.sink.err(typeof text === "string" ? text : text());
  }

  /** safecopy's markoutput(): `readPos` and `lastGood` relative to -s. */
  mark(description: string, readPos: number, lastGood: number): void {
    const so = this.cfg.startOffset;
    const from = lastGood + so;
    const end = readPos + so;
    const inc = this.include;
    if (!inc) {
      this.debug(DebugBits.badblocks, () => `debug: ${description} ${from} - ${end} - marking output for whole bad area\n`);
      this.markRange(from, end, lastGood, readPos);
      return;
    }
    const i = this.cfg.includeBlockSize;
    let incPos = inc.last * i;
    while (incPos < end) {
      if (incPos + i > from) {
        this.debug(DebugBits.badblocks, () => `debug: ${description} ${from} - ${end} - marking output for infile block ${inc.last} (${incPos} - ${incPos + i})\n`);
        this.markRange(incPos, incPos + i, lastGood, readPos);
        if (this.failed) return;
      }
      // Keep the current include block while it still reaches past this range.
      if (incPos + i > end) break;
      const next = inc.advance();
      if (next === "unsorted") return this.unsorted(this.cfg.includeName);
      if (next === "end") {
        const target = this.cfg.targetSize;
        if (end < target) inc.last = Math.trunc(target / i);
        else if (target) inc.last = Math.trunc(end / i);
        else break;
      }
      incPos = inc.last * i;
    }
  }

  private unsorted(name: string): void {
    this.sink.err(`Parse error in badblocks file ${name}: not sorted correctly!\n`);
    this.failed = true;
  }

  /** safecopy's realmarkoutput(): absolute [start, end) clipped to [min, max) + so, minus exclude blocks. */
  private markRange(start: number, end: number, min: number, max: number): void {
    const so = this.cfg.startOffset;
    let first = Math.max(start, min + so);
    const last = Math.min(end, max + so);
    const ex = this.exclude;
    if (ex) {
      const x = this.cfg.excludeBlockSize;
      this.debug(DebugBits.exclude, () => `debug: checking for exclude blocks during output, at position ${first}\n`);
      ex.rewindFor(first, x);
      let t = ex.last * x;
      while (t < last) {
        if (t + x > first) {
          if (t <= first) {
            first = t + x;
            if (first > last) return this.debug(DebugBits.exclude, "debug: current bad block area is completely covered by xblocks, skipping\n");
            this.debug(DebugBits.exclude, "debug: start of current bad block area is covered by xblocks shrinking\n");
            return this.markRange(first, last, first - so, last - so);
          }
          if (t < last) {
            this.debug(DebugBits.exclude, "debug: current bad block area is partially covered by xblocks, splitting\n");
            this.markRange(first, t, first - so, t - so);
            if (this.failed) return;
            return this.markRange(t, last, t - so, last - so);
          }
          break;
        }
        const next = ex.advance();
        if (next === "unsorted") return this.unsorted(this.cfg.excludeName);
        if (next === "end") break;
        t = next * x;
      }
    }
    if (this.cfg.marker) {
      this.debug(DebugBits.badblocks, () => `debug: marking badblocks from ${first} to ${last} \n`);
      if (this.lastMarked < first - so) this.lastMarked = first - so;
      this.writeMarker(this.lastMarked, last - (this.lastMarked + so));
    }
    if (this.cfg.badblocksOut) {
      this.debug(DebugBits.badblocks, () => `debug: declaring badblocks from ${first} to ${last} \n`);
      this.listBlocks(first, last);
    }
  }

  /** Pattern writes restart at the pattern's start for every block-sized chunk, like safecopy. */
  private writeMarker(position: number, length: number): void {
    if (length <= 0) return this.debug(DebugBits.badblocks, "debug: no bad blocks to mark\n");
    this.debug(DebugBits.badblocks, () => `debug: marking ${length} bad bytes at ${position}\n`);
    const b = this.cfg.blockSize;
    let done = 0;
    while (done < length) {
      const n = Math.min(b, length - done);
      this.debug(DebugBits.seek, () => `debug: seek in destination file: ${position + done}\n`);
      this.debug(DebugBits.io, () => `debug: writing badblock marker to destination file: ${length - done} bytes at ${position + done}\n`);
      const error = this.sink.write(this.pattern, n, position + done);
      if (error !== null) {
        this.sink.err(`\nError: write to output failed : ${error}\n`);
        this.failed = true;
        return;
      }
      done += n;
    }
  }

  /** Every block of -b that [first, last) touches, above the last one listed. */
  private listBlocks(first: number, last: number): void {
    const b = this.cfg.blockSize;
    let n = Math.trunc(first / b);
    if (this.lastBadBlock >= n) n = this.lastBadBlock + 1;
    while (n * b < last) {
      this.lastBadBlock = n;
      this.debug(DebugBits.badblocks, () => `debug: declaring bad block: ${n}\n`);
      this.sink.badBlock(n);
      n++;
    }
  }
}

/** One block of the marker repeated (last copy cut); an empty marker gives zeros. */
function buildPattern(marker: Uint8Array | null, blockSize: number): Uint8Array {
  const out = new Uint8Array(blockSize);
  if (!marker || marker.length === 0) return out;
  for (let off = 0; off < blockSize; off += marker.length) out.set(marker.subarray(0, Math.min(marker.length, blockSize - off)), off);
  return out;
}
