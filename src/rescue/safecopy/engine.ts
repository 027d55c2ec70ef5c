// safecopy 1.7's read loop as a step-wise state machine: `step()` runs one cycle (plan,
// exclude, seek, read, react) and returns false when the loop is over; `finish()` closes a
// pending bad area and returns the summary. The caller yields to the event loop between
// steps, which is what lets SIGINT stop a long rescue. Behaviour follows the binary
// (reference §3), including its quirks, except the data-losing bugs listed in docs/compat.md.
import { ExcludeCursor, IncludeCursor } from "./block-cursors.ts";
import { Feedback } from "./feedback.ts";
import { Marking } from "./marking.ts";
import { DebugBits, type EngineResult, type EngineSink, type Medium, type SafecopyConfig } from "./types.ts";

const EINVAL = 22;
/** C integer division (truncates toward zero; positions can briefly be negative). */
import { cdiv, summary, u64 } from "./summary.ts";

export class SafecopyEngine {
  // Positions: rp is wanted (relative to -s), sp the source's actual offset, wp where the next write goes.
  private rp = 0;
  private sp = 0;
  private wp = 0;
  private remain = 0;
  /** Retries left at this spot; 0 means "inside a bad area, probing for its end". */
  private newError: number;
  private newSoftError = false;
  private backtrace = false;
  private lastGood = 0;
  private lastError = 0;
  private counter = 1;
  private softErrors = 0;
  private hardErrors = 0;
  private damage = 0;
  private desperate = false;
  private seekable = true;
  /** Last read result; 0 (end of source) ends the loop. */
  private block = -1;
  private wantAbort: 0 | 1 | 2 = 0;
  /** --forceopen: the source is gone and must be reopened before reading on. */
  private reopenPending = false;
  private readonly include: IncludeCursor | null;
  private readonly exclude: ExcludeCursor | null;
  private readonly marking: Marking;
  private readonly feedback: Feedback;

  constructor(
    private readonly cfg: SafecopyConfig,
    private readonly medium: Medium,
    private readonly sink: EngineSink,
    private readonly buf: Uint8Array,
    private readonly options: { forceOpen?: boolean; now?: () => number } = {},
  ) {
    this.newError = cfg.retries;
    const resume = cfg.targetSize > 0 ? cdiv(cfg.targetSize, cfg.includeBlockSize) : Infinity;
    this.include = cfg.include ? new IncludeCursor(cfg.include, resume) : null;
    this.exclude = cfg.exclude ? new ExcludeCursor(cfg.exclude, (t) => this.debug(DebugBits.exclude, t)) : null;
    this.marking = new Marking(cfg, sink, this.include, this.exclude);
    this.feedback = new Feedback(cfg.human, (t) => sink.err(t));
  }

  /** SIGINT/SIGTERM: stop at the next step boundary with "Aborted by user request!". */
  requestAbort(): void {
    if (this.wantAbort === 0) this.wantAbort = 1;
  }

  /** A failure found outside the loop (a delayed write): print it and end as "Aborted because of error!". */
  abortWithError(message: string): void {
    this.sink.err(message);
    this.wantAbort = 2;
  }

  /** True while --forceopen waits for the source to come back (the caller sleeps ~1 s). */
  get waitingForSource(): boolean {
    return this.reopenPending;
  }

  private debug(bit: number, text: string): void {
    if (this.cfg.debug & bit) this.sink.err(text);
  }

  private symbol(s: string): void {
    this.sink.out(s);
    this.feedback.output = true;
    this.feedback.lineWidth += s.length;
  }

  /** The initial lseek to -s: an unseekable source is skipped forward by the seek script. */
  start(): void {
    const so = this.cfg.startOffset;
    const c = this.medium.seek(so);
    if (c >= 0) {
      this.sp = c;
      return;
    }
    this.sink.err(`Warning: Input file is not seekable : ${this.medium.describe(-c)}\n`);
    this.seekable = false;
    const skipped = so === 0 ? { position: 0 } : this.medium.skip(so, 0);
    if (skipped.position !== null) this.sp = skipped.position;
    if (skipped.reopenError) {
      this.sink.err(`Error reopening sourcefile after external seek : ${skipped.reopenError}\n`);
      this.wantAbort = 2;
    }
    this.sink.out("|/|");
  }

  /** One cycle of the loop; false when the loop has ended. */
  step(): boolean {
    const cfg = this.cfg;
    if (this.reopenPending) return this.retryReopen();
    if (this.wantAbort || this.block === 0 || !(cfg.length < 0 || this.rp < cfg.length)) return false;
    const so = cfg.startOffset;
    if (this.bulkCopy()) return true;
    this.debug(DebugBits.flow, "debug: start of cycle\n");
    if (this.remain === 0 && !this.plan()) return false;
    if (this.exclude && this.remain !== 0 && this.skipExcluded()) return true;
    if (this.wantAbort) return false;
    const now = this.options.now ?? (() => Math.round(performance.now() * 1000));
    const t0 = now();
    if (!this.navigate()) return false;
    if (this.wantAbort) return false;

    const b = cfg.blockSize;
    const want = Math.min(this.remain, b);
    const lowLevel = cfg.lowLevel === 2 || (cfg.lowLevel === 1 && this.desperate);
    this.debug(DebugBits.io, lowLevel ? "debug: low level read\n" : "debug: normal read\n");
    this.block = want === 0 ? 0 : this.medium.read(this.buf, want, this.sp, lowLevel);
    const elapsed = Math.max(0, now() - t0);
    if (cfg.timing) this.sink.timing({ block: cdiv(this.sp, b), micros: elapsed, result: this.block < 0 ? -1 : this.block });
    this.feedback.afterRead(elapsed, cfg.fileSize, cdiv(this.rp, b));
    if (this.block > 0) this.onData(this.block);
    else if (this.block < 0) return this.onError(-this.block);
    return true;
  }

  /**
   * Speed: on a healthy stretch, take many whole blocks from one large read and write them
   * at once. Allowed only where the per-block loop could not do anything else (no lists,
   * no retries pending, no timing or debug output, in position); the symbols and counters
   * come out exactly as if each block had been read on its own.
   */
  private bulkCopy(): boolean {
    const cfg = this.cfg;
    const b = cfg.blockSize;
    if (this.remain !== 0 || this.newError !== cfg.retries || this.newSoftError || this.include || this.exclude) return false;
    if (cfg.timing || cfg.debug || !this.seekable || this.wp !== this.rp || this.rp % b !== 0) return false;
    if (this.sp !== this.rp + cfg.startOffset || !this.medium.readBulk || cfg.lowLevel === 2 || (cfg.lowLevel === 1 && this.desperate)) return false;
    const room = cfg.length < 0 ? Infinity : cfg.length - this.rp;
    const t0 = performance.now();
    const data = room >= 2 * b ? this.medium.readBulk(this.sp, room) : null;
    if (!data || data.length < b) return false;
    const bytes = data.length - (data.length % b);
    const blocks = bytes / b;
    const perBlock = Math.round(((performance.now() - t0) * 1000) / blocks);
    const so = cfg.startOffset;
    for (let k = 0; k < blocks; k++) {
      // The terminal decorations see one read per block, as in the per-block loop.
      const rp = this.rp + k * b;
      if (cfg.fileSize > so) this.feedback.percent = cdiv(100 * rp, cfg.fileSize - so);
      this.feedback.afterRead(perBlock, cfg.fileSize, cdiv(rp, b));
      if (--this.counter <= 0) {
        this.symbol(".");
        this.counter = 1024;
      }
    }
    this.desperate = false;
    const error = this.sink.write(data, bytes, this.wp);
    if (error !== null) {
      this.sink.err(`\nError: write to ${cfg.destName} failed : ${error}\n`);
      this.wantAbort = 2;
      return true;
    }
    this.sp += bytes;
    this.rp += bytes;
    this.wp = this.rp;
    return true;
  }

  /** Choose the next block: follow the -I list, realign to -b (or -f inside a bad area). */
  private plan(): boolean {
    const cfg = this.cfg;
    const so = cfg.startOffset;
    this.debug(DebugBits.flow, "debug: preparing to read a new block\n");
    const inc = this.include;
    if (inc && this.newError !== 0) {
      this.debug(DebugBits.incremental, "debug: incremental - searching next block\n");
      const i = cfg.includeBlockSize;
      const here = cdiv(this.rp + so, i);
      if (here !== inc.last) {
        const next = inc.nextBlockFrom(here, this.rp + so, cfg.targetSize, i);
        if (next === "unsorted") {
          this.sink.err(`Parse error in badblocks file ${cfg.includeName}: not sorted correctly!\n`);
          this.wantAbort = 2;
          return false;
        }
        if (next === "stop") return false;
        this.debug(DebugBits.incremental, `debug: incremental - target is ${inc.last} position is ${here}\n`);
        this.rp = inc.last * i - so;
      } else {
        this.debug(DebugBits.incremental, "debug: incremental - still in same block\n");
      }
    }
    const b = cfg.blockSize;
    this.remain = cdiv(this.rp, b) * b + (this.newError === 0 ? cfg.skipSize : b) - this.rp;
    this.debug(DebugBits.flow, `debug: prepared to read block ${cdiv(this.rp + so, b)} size ${this.remain} at ${this.rp + so}\n`);
    return true;
  }

  /** Never read inside an exclude block; true when the cycle must start over. */
  private skipExcluded(): boolean {
    const so = this.cfg.startOffset;
    const pos = this.rp + so;
    this.debug(DebugBits.exclude, `debug: checking for exclude blocks at position ${pos}\n`);
    const r = this.exclude!.clip(pos, this.remain, this.cfg.excludeBlockSize, this.backtrace);
    if (r === "unsorted") {
      this.sink.err(`Parse error in badblocks file ${this.cfg.excludeName}: not sorted correctly!\n`);
      this.wantAbort = 2;
      return false;
    }
    this.remain = r.remain;
    if (r.skipTo === null) return false;
    this.debug(DebugBits.exclude, "debug: recalculation needed because of exclude blocks, restarting cycle\n");
    this.rp = r.skipTo - so;
    return true;
  }

  /** Bring the source to rp; false ends the loop (past a device's end, or an unskippable gap). */
  private navigate(): boolean {
    const cfg = this.cfg;
    const so = cfg.startOffset;
    const target = this.rp + so;
    if (this.sp !== target) {
      this.debug(DebugBits.seek, `debug: seeking in input from ${this.sp} to ${target}\n`);
      // safecopy took a seek result of 0 as failure (§12.7); 0 is a valid position here.
      const c = this.medium.seek(target);
      if (c >= 0) {
        this.sp = c;
        this.seekable = true;
      } else if (target < cfg.fileSize && this.medium.lowLevelCanSeek() && (cfg.lowLevel === 2 || (cfg.lowLevel === 1 && this.desperate))) {
        this.sp = target;
      } else if (-c === EINVAL && this.seekable) {
        return false;
      } else {
        if (this.seekable) {
          this.sink.out("|/|");
          this.seekable = false;
        }
        if (target > this.sp) {
          this.debug(DebugBits.seek, "debug: emergency seek");
          const r = this.medium.skip(target, this.sp);
          if (r.position === null && this.newError === 0) {
            this.sink.err("\nError: Unable to skip over bad area.\n");
            return false;
          }
          if (r.reopenError) {
            this.sink.err(`\nError reopening sourcefile after external seek : ${r.reopenError}\n`);
            this.wantAbort = 2;
            return false;
          }
          if (r.position !== null) this.sp = r.position;
        }
      }
    }
    this.rp = this.sp > so ? this.sp - so : 0;
    if (cfg.length >= 0) {
      if (this.rp >= cfg.length) this.rp = cfg.length;
      if (this.rp + this.remain >= cfg.length) this.remain = cfg.length - this.rp;
    }
    this.wp = this.rp;
    if (cfg.fileSize > so) this.feedback.percent = cdiv(100 * this.rp, cfg.fileSize - so);
    return true;
  }

  private onData(n: number): void {
    const cfg = this.cfg;
    this.debug(DebugBits.io, "debug: successful read\n");
    this.sp += n;
    if (this.newSoftError) {
      this.newSoftError = false;
      this.softErrors++;
    }
    if (this.newError === 0) {
      // Readable again after a skip: halve back towards the end of the bad area.
      if (this.remain > cfg.resolution && this.seekable) {
        this.remain = cdiv(this.remain, 2);
        this.rp -= this.remain;
        this.symbol("<");
        this.backtrace = true;
        this.debug(DebugBits.flow, `debug: shrinking remain to ${this.remain}\n`);
      } else {
        this.newError = cfg.retries;
        this.remain = 0;
        this.closeBadArea("end of bad area");
        this.lastError = this.rp;
      }
      return;
    }
    this.desperate = false;
    this.newError = cfg.retries;
    if (n < this.remain) {
      this.symbol("_");
      this.counter = 1;
    } else if (--this.counter <= 0) {
      this.symbol(".");
      this.counter = 1024;
    }
    this.remain -= n;
    this.rp += n;
    let length = n;
    let offset = 0;
    const so = cfg.startOffset;
    if (this.sp < so) {
      // Data before -s, read only because a seek failed: not part of the copy.
      if (this.sp + n <= so) length = 0;
      else {
        length = this.sp + n - so;
        offset = so - this.sp;
      }
    }
    if (length <= 0) return;
    this.debug(DebugBits.seek, `debug: seek in destination file: ${this.wp}\n`);
    this.debug(DebugBits.io, `debug: writing data to destination file: ${length} bytes at ${this.wp}\n`);
    const error = this.sink.write(offset === 0 ? this.buf : this.buf.subarray(offset), length, this.wp);
    if (error !== null) {
      this.sink.err(`\nError: write to ${cfg.destName} failed : ${error}\n`);
      this.wantAbort = 2;
      return;
    }
    this.wp += length;
  }

  /** Print `}[block](+bytes)`, count the damage and mark the area. */
  private closeBadArea(description: string, markTo = this.rp, markFrom = this.lastError): void {
    const bytes = this.rp - this.lastGood;
    this.damage += bytes;
    this.sink.out(`}[${u64(cdiv(this.rp, this.cfg.blockSize))}](+${u64(bytes)})`);
    this.feedback.output = true;
    if (this.cfg.human) this.sink.err("\n");
    this.feedback.lineWidth = 0;
    this.backtrace = false;
    if (description) this.mark(description, markTo, markFrom);
  }

  private mark(description: string, readPos: number, from: number): void {
    this.marking.mark(description, readPos, from);
    if (this.marking.failed) this.wantAbort = 2;
  }
  private onError(errno: number): boolean {
    const cfg = this.cfg;
    const readAt = this.sp;
    this.debug(DebugBits.io, `debug: read failed: ${this.medium.describe(errno)}\n`);
    this.counter = 1;
    this.desperate = true;
    if (this.remain > cfg.resolution && this.newError > 0) {
      // Maybe the start of a bad area: read less to get what precedes it.
      this.newSoftError = true;
      this.remain = cdiv(this.remain, 2);
      this.symbol(">");
    } else if (this.newError > 1) {
      this.newSoftError = true;
      this.newError--;
      this.symbol("!");
    } else {
      const b = cfg.blockSize;
      if (this.newError === 1) {
        this.newSoftError = false;
        this.newError = 0;
        this.symbol(`[${u64(cdiv(this.rp, b))}](+${u64(this.rp - this.lastError)}){`);
        this.remain = cdiv(this.rp, b) * b + cfg.skipSize - this.rp;
        this.lastGood = this.rp;
      }
      if (!this.backtrace) {
        this.hardErrors++;
        this.symbol("X");
        this.mark("continuous bad area", this.rp, Math.max(this.lastError, this.lastGood));
        this.lastError = this.rp;
      }
      this.rp += this.remain;
      // Re-plan with the skip size from the new position; during backtracking keep the half step.
      if (!this.backtrace) this.remain = 0;
      else this.debug(DebugBits.flow, `debug: bad block during backtrace - remain is ${this.remain} at ${this.rp + cfg.startOffset}\n`);
    }
    if (this.wantAbort) return false;
    // Fix (reference §12.9): a source whose reads fail at and past its known end (a directory,
    // some devices) made safecopy skip on forever. Files end with a 0-byte read there and
    // devices with a failed seek; a failed read there ends the loop the same way.
    if (this.newError === 0 && cfg.fileSize > 0 && readAt >= cfg.fileSize) return false;
    for (let k = 0; k < cfg.headMoves; k++) this.debug(DebugBits.seek, "debug: forced head realignment\n");
    const problem = this.medium.recover();
    if (problem !== null) return this.reopenFailed(problem);
    if (this.seekable) this.sp = 0;
    return true;
  }

  private reopenFailed(problem: string): boolean {
    if (this.options.forceOpen && !this.wantAbort) {
      this.reopenPending = true;
      return true;
    }
    this.sink.err(`\nError reopening sourcefile after read error : ${problem}\n`);
    this.wantAbort = 2;
    return false;
  }

  private retryReopen(): boolean {
    if (this.wantAbort) {
      this.reopenPending = false;
      return false;
    }
    const problem = this.medium.reopen();
    if (problem !== null) return true;
    this.reopenPending = false;
    if (this.seekable) this.sp = 0;
    return true;
  }

  /** End of the loop: close a bad area still open, pad marks to the end, print the summary. */
  finish(): EngineResult {
    const cfg = this.cfg;
    const so = cfg.startOffset;
    this.debug(DebugBits.flow, "debug: main loop ended\n");
    if (this.newError === 0) {
      this.closeBadArea("");
      if (this.wantAbort < 2) {
        // Fix (reference §12.1): safecopy added -s twice here, marking and listing past the end.
        if (cfg.fileSize && this.lastGood + so < cfg.fileSize && this.rp + so >= cfg.fileSize) {
          this.mark("end of file - filling to filesize", cfg.fileSize - so, this.lastGood);
        } else {
          this.mark("end of file - filling to last seen position", this.rp, this.lastGood);
        }
      }
    }
    const exitCode = this.wantAbort ? 2 : this.damage > 0 ? 1 : 0;
    const result: EngineResult = { aborted: this.wantAbort, softErrors: this.softErrors, hardErrors: this.hardErrors, damage: this.damage, written: this.wp, exitCode };
    this.sink.out(summary(result, cfg.blockSize));
    return result;
  }
}
