// Cursors over the -I (include) and -X (exclude) lists. safecopy reads both lists lazily
// and only forward (the exclude list is rewound when the loop backtracks), and both the
// read planning and the marking move the same include cursor: so it is shared state.
import type { BadblockReader } from "../../formats/badblocks.ts";
import { u64 } from "./summary.ts";

export type Advance = number | "end" | "unsorted";

export class IncludeCursor {
  /** Most recent entry read (safecopy's lastsourceblock); -1 before the first. */
  last = -1;
  private readonly clipAt: number;

  /**
   * `resumeBlock` is the include block holding the old destination end: everything from it
   * on is copied anyway. safecopy jumped straight to a list entry beyond it and never read
   * the gap before that entry (data loss, reference §12.5); treating such entries as the end
   * of the list makes the run resume at the old end instead. Infinity disables the clip.
   */
  constructor(readonly reader: BadblockReader, resumeBlock: number) {
    this.clipAt = resumeBlock;
  }

  /**
   * Planning: read entries up to the include block `here`. When the list ends, resume at
   * the block holding the old destination end, go on sequentially past it, or stop when
   * there is no old destination. The result is the block to read (also left in `last`).
   */
  nextBlockFrom(here: number, position: number, targetSize: number, blockSize: number): number | "stop" | "unsorted" {
    while (this.last < here) {
      const next = this.advance();
      if (next === "unsorted") return next;
      if (next !== "end") continue;
      if (position < targetSize) this.last = Math.trunc(targetSize / blockSize);
      else if (targetSize) this.last = here;
      else return "stop";
      break;
    }
    return this.last;
  }

  advance(): Advance {
    const n = this.reader.next();
    if (n === null || n >= this.clipAt) return "end";
    if (n < this.last) return "unsorted";
    this.last = n;
    return n;
  }
}

export class ExcludeCursor {
  /** Current and previous entries (safecopy's lastxblock / previousxblock). */
  last = -1;
  previous = -1;

  /** `log` receives safecopy's --debug 32 lines (a no-op unless that bit is set; interpolated ones as functions). */
  constructor(readonly reader: BadblockReader, private readonly log: (text: string | (() => string)) => void = () => {}) {}

  /** Step back when `position` (bytes) lies before the current entry, as safecopy does. */
  rewindFor(position: number, blockSize: number): void {
    if (position >= this.last * blockSize) return;
    this.log(() => `debug: possibly need backtracking in exclude list, next exclude block ${this.last}\n`);
    if (position < this.previous * blockSize) {
      this.log("debug: reopening exclude file and reading from the start\n");
      this.reader.restart();
      this.last = -1;
      this.previous = -1;
    } else if ((this.previous + 1) * blockSize > position) {
      this.last = this.previous;
      this.log(() => `debug: using last exclude block ${this.last}\n`);
    } else {
      this.log("debug: false alarm, current exclude block is fine\n");
    }
  }

  /**
   * A planned read of `remain` bytes at `pos` (absolute): when an exclude block covers its
   * start, skip to the block's end (`skipTo`; remain becomes the excluded length, as in
   * safecopy, or 0/1 when the block reaches past the read); when one starts inside it,
   * shorten the read to end there.
   */
  clip(pos: number, remain: number, blockSize: number, backtrace: boolean): { remain: number; skipTo: number | null } | "unsorted" {
    this.rewindFor(pos, blockSize);
    let t = this.last * blockSize;
    this.log(() => `debug: checking with xblock ${this.last} at ${u64(t)}\n`);
    while (t < pos + remain) {
      if (t + blockSize > pos) {
        if (t <= pos) {
          this.log("debug: skipping ahead to avoid exclude block\n");
          const end = t + blockSize;
          const left = end < pos + remain ? end - pos : backtrace ? 1 : 0;
          if (left) this.log(() => `debug: remain set to ${left}\n`);
          return { remain: left, skipTo: end };
        }
        if (t < pos + remain) {
          this.log(() => `debug: shrinking block size because of exclude block from ${remain} to ${t - pos}\n`);
          return { remain: t - pos, skipTo: null };
        }
        break;
      }
      this.log("debug: reading another exclude block\n");
      const next = this.advance();
      if (next === "unsorted") return next;
      if (next === "end") break;
      t = next * blockSize;
      this.log(() => `debug: reading another exclude block: ${this.last} at ${t}\n`);
    }
    return { remain, skipTo: null };
  }

  advance(): Advance {
    const n = this.reader.next();
    if (n === null) return "end";
    if (n < this.last) return "unsorted";
    this.previous = this.last;
    this.last = n;
    return n;
  }
}
