// safecopy 1.7's read loop as a step-wise state machine: `step()` runs one cycle (plan,
// exclude, seek, read, react) and returns false when the loop is over; `finish()` closes a
// pending bad area and returns the summary. The caller yields to the event loop between
// steps, which is what lets SIGINT stop a long rescue. Behaviour follows the binary
// (reference §3), including its quirks, except the data-losing bugs listed in docs/compat.md.
import { ExcludeCursor, IncludeCursor } from "./block-cursors.ts";
import { Feedback } from "./feedback.ts";
import { Marking } from "./marking.ts";
import { LoopState } from "./loop-state.ts";
import { bulkCopy } from "./bulk-copy.ts";
import { DebugBits, type EngineResult, type EngineSink, type Medium, type SafecopyConfig } from "./types.ts";

const EINVAL = 22;
/** C integer division (truncates toward zero; positions can briefly be negative). */
import { cdiv, summary, u64 } from "./summary.ts";

export class SafecopyEngine {
  /** The loop's variables (safecopy's statusvars), shared with the bulk fast path. */
  private readonly st: LoopState;
  private readonly include: IncludeCursor | null;
  private readonly exclude: ExcludeCursor | null;
  private readonly marking: Marking;
  private readonly feedback: Feedback;
  /**
   * Microseconds, for -T lines and the terminal's speed smileys; null when neither is shown:
   * the time of a read is then unobservable, and two clock calls per read are a fair share
   * of the loop's own cost on a disk with many bad sectors.
   */
  private readonly clock: (() => number) | null;
  /** Bound once: the bulk path is tried on every cycle. */
  private readonly print = (s: string) => this.symbol(s);

  constructor(
    private readonly cfg: SafecopyConfig,
    private readonly medium: Medium,
    private readonly sink: EngineSink,
    private readonly buf: Uint8Array,
    private readonly options: { forceOpen?: boolean; now?: () => number } = {},
  ) {
    this.st = new LoopState(cfg.retries);
    const resume = cfg.targetSize > 0 ? cdiv(cfg.targetSize, cfg.includeBlockSize) : Infinity;
    this.include = cfg.include ? new IncludeCursor(cfg.include, resume) : null;
    this.exclude = cfg.exclude ? new ExcludeCursor(cfg.exclude, (t) => this.debug(DebugBits.exclude, t)) : null;
    this.marking = new Marking(cfg, sink, this.include, this.exclude);
    this.feedback = new Feedback(cfg.human, (t) => sink.err(t));
    this.clock = options.now ?? (cfg.timing || cfg.human ? () => Math.round(performance.now() * 1000) : null);
  }

  /** SIGINT/SIGTERM: stop at the next step boundary with "Aborted by user request!". */
  requestAbort(): void {
    if (this.st.wantAbort === 0) this.st.wantAbort = 1;
  }

  /** A failure found outside the loop (a delayed write): print it and end as "Aborted because of error!". */
  abortWithError(message: string): void {
    this.sink.err(message);
    this.st.writeFailed(this.sink.writtenUpTo?.());
  }

  /**
   * Bytes of the area passed so far, and its size when known (else null): for a progress
   * display outside safecopy's own output (the terminal title), never part of it.
   */
  get position(): { done: number; total: number | null } {
    const c = this.cfg;
    const total = c.length >= 0 ? c.length : c.fileSize > c.startOffset ? c.fileSize - c.startOffset : null;
    return { done: Math.max(0, this.st.rp), total };
  }

  /** True while --forceopen waits for the source to come back (the caller sleeps ~1 s). */
  get waitingForSource(): boolean {
    return this.st.reopenPending;
  }

  /** Interpolated lines come as functions: they are built only when their --debug bit is on. */
  private debug(bit: number, text: string | (() => string)): void {
    if (this.cfg.debug & bit) this.sink.err(typeof text === "string" ? text : text());
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
      this.st.sp = c;
      return;
    }
    this.sink.err(`Warning: Input file is not seekable : ${this.medium.describe(-c)}\n`);
    this.st.seekable = false;
    const skipped = so === 0 ? { position: 0 } : this.medium.skip(so, 0);
    if (skipped.position !== null) this.st.sp = skipped.position;
    if (skipped.reopenError) {
      this.sink.err(`Error reopening sourcefile after external seek : ${skipped.reopenError}\n`);
      this.st.wantAbort = 2;
    }
    this.sink.out("|/|");
  }

  /** One cycle of the loop; false when the loop has ended. */
  step(): boolean {
    const cfg = this.cfg;
    if (this.st.reopenPending) return this.retryReopen();
    if (this.st.wantAbort || this.st.block === 0 || !(cfg.length < 0 || this.st.rp < cfg.length)) return false;
    const so = cfg.startOffset;
    if (bulkCopy(this.st, cfg, this.medium, this.sink, this.feedback, this.print)) return true;
    this.debug(DebugBits.flow, "debug: start of cycle\n");
    if (this.st.remain === 0 && !this.plan()) return false;
    if (this.exclude && this.st.remain !== 0 && this.skipExcluded()) return true;
    if (this.st.wantAbort) return false;
    const clock = this.clock;
    const t0 = clock ? clock() : 0;
    if (!this.navigate()) return false;
    if (this.st.wantAbort) return false;

    const b = cfg.blockSize;
    const want = Math.min(this.st.remain, b);
    const lowLevel = cfg.lowLevel === 2 || (cfg.lowLevel === 1 && this.st.desperate);
    this.debug(DebugBits.io, lowLevel ? "debug: low level read\n" : "debug: normal read\n");
    this.st.block = want === 0 ? 0 : this.medium.read(this.buf, want, this.st.sp, lowLevel);
    const elapsed = clock ? Math.max(0, clock() - t0) : 0;
    if (cfg.timing) this.sink.timing({ block: cdiv(this.st.sp, b), micros: elapsed, result: this.st.block < 0 ? -1 : this.st.block });
    this.feedback.afterRead(elapsed, cfg.fileSize, cdiv(this.st.rp, b));
    if (this.st.block > 0) this.onData(this.st.block);
    else if (this.st.block < 0) return this.onError(-this.st.block);
    return true;
  }

  /** Choose the next block: follow the -I list, realign to -b (or -f inside a bad area). */
  private plan(): boolean {
    const cfg = this.cfg;
    const so = cfg.startOffset;
    this.debug(DebugBits.flow, "debug: preparing to read a new block\n");
    const inc = this.include;
    if (inc && this.st.newError !== 0) {
      this.debug(DebugBits.incremental, "debug: incremental - searching next block\n");
      const i = cfg.includeBlockSize;
      const here = cdiv(this.st.rp + so, i);
      if (here !== inc.last) {
        const next = inc.nextBlockFrom(here, this.st.rp + so, cfg.targetSize, i);
        if (next === "unsorted") {
          this.sink.err(`Parse error in badblocks file ${cfg.includeName}: not sorted correctly!\n`);
          this.st.wantAbort = 2;
          return false;
        }
        if (next === "stop") return false;
        this.debug(DebugBits.incremental, () => `debug: incremental - target is ${inc.last} position is ${here}\n`);
        this.st.rp = inc.last * i - so;
      } else {
        this.debug(DebugBits.incremental, "debug: incremental - still in same block\n");
      }
    }
    const b = cfg.blockSize;
    this.st.remain = cdiv(this.st.rp, b) * b + (this.st.newError === 0 ? cfg.skipSize : b) - this.st.rp;
    this.debug(DebugBits.flow, () => `debug: prepared to read block ${cdiv(this.st.rp + so, b)} size ${this.st.remain} at ${this.st.rp + so}\n`);
    return true;
  }

  /** Never read inside an exclude block; true when the cycle must start over. */
  private skipExcluded(): boolean {
    const so = this.cfg.startOffset;
    const pos = this.st.rp + so;
    this.debug(DebugBits.exclude, () => `debug: checking for exclude blocks at position ${pos}\n`);
    const r = this.exclude!.clip(pos, this.st.remain, this.cfg.excludeBlockSize, this.st.backtrace);
    if (r === "unsorted") {
      this.sink.err(`Parse error in badblocks file ${this.cfg.excludeName}: not sorted correctly!\n`);
      this.st.wantAbort = 2;
      return false;
    }
    this.st.remain = r.remain;
    if (r.skipTo === null) return false;
    this.debug(DebugBits.exclude, "debug: recalculation needed because of exclude blocks, restarting cycle\n");
    this.st.rp = r.skipTo - so;
    return true;
  }

  /** Bring the source to rp; false ends the loop (past a device's end, or an unskippable gap). */
  private navigate(): boolean {
    const cfg = this.cfg;
    const so = cfg.startOffset;
    const target = this.st.rp + so;
    if (this.st.sp !== target) {
      this.debug(DebugBits.seek, () => `debug: seeking in input from ${this.st.sp} to ${target}\n`);
      // safecopy took a seek result of 0 as failure (§12.7); 0 is a valid position here.
      const c = this.medium.seek(target);
      if (c >= 0) {
        this.st.sp = c;
        this.st.seekable = true;
      } else if (target < cfg.fileSize && this.medium.lowLevelCanSeek() && (cfg.lowLevel === 2 || (cfg.lowLevel === 1 && this.st.desperate))) {
        this.st.sp = target;
      } else if (-c === EINVAL && this.st.seekable) {
        return false;
      } else {
        if (this.st.seekable) {
          this.sink.out("|/|");
          this.st.seekable = false;
        }
        if (target > this.st.sp) {
          this.debug(DebugBits.seek, "debug: emergency seek");
          const r = this.medium.skip(target, this.st.sp);
          if (r.position === null && this.st.newError === 0) {
            this.sink.err("\nError: Unable to skip over bad area.\n");
            return false;
          }
          if (r.reopenError) {
            this.sink.err(`\nError reopening sourcefile after external seek : ${r.reopenError}\n`);
            this.st.wantAbort = 2;
            return false;
          }
          if (r.position !== null) this.st.sp = r.position;
        }
      }
    }
    this.st.rp = this.st.sp > so ? this.st.sp - so : 0;
    if (cfg.length >= 0) {
      if (this.st.rp >= cfg.length) this.st.rp = cfg.length;
      if (this.st.rp + this.st.remain >= cfg.length) this.st.remain = cfg.length - this.st.rp;
    }
    this.st.wp = this.st.rp;
    if (cfg.fileSize > so) this.feedback.percent = cdiv(100 * this.st.rp, cfg.fileSize - so);
    return true;
  }

  private onData(n: number): void {
    const cfg = this.cfg;
    this.debug(DebugBits.io, "debug: successful read\n");
    this.st.sp += n;
    if (this.st.newSoftError) {
      this.st.newSoftError = false;
      this.st.softErrors++;
    }
    if (this.st.newError === 0) {
      // Fix (endless backtracking): the search window starts at the -b block holding the
      // bad area's start, so with -r < -b a probe can land at or before that start. Its
      // success (a short read of the good bytes before the area, or an intermittent sector
      // reading this time) says nothing about where the area ends; safecopy took it as the
      // end, closed the area before it began and found it again forever. Such a probe
      // counts as a failed one: the search moves up, and the area ends past its start.
      if (this.st.rp <= this.st.lastGood) {
        this.st.rp += this.st.remain;
        return;
      }
      // Readable again after a skip: halve back towards the end of the bad area.
      if (this.st.remain > cfg.resolution && this.st.seekable) {
        this.st.remain = cdiv(this.st.remain, 2);
        this.st.rp -= this.st.remain;
        this.symbol("<");
        this.st.backtrace = true;
        this.debug(DebugBits.flow, () => `debug: shrinking remain to ${this.st.remain}\n`);
      } else {
        this.st.newError = cfg.retries;
        this.st.remain = 0;
        this.closeBadArea("end of bad area");
        this.st.lastError = this.st.rp;
      }
      return;
    }
    this.st.desperate = false;
    this.st.newError = cfg.retries;
    if (n < this.st.remain) {
      this.symbol("_");
      this.st.counter = 1;
    } else if (--this.st.counter <= 0) {
      this.symbol(".");
      this.st.counter = 1024;
    }
    this.st.remain -= n;
    this.st.rp += n;
    let length = n;
    let offset = 0;
    const so = cfg.startOffset;
    if (this.st.sp < so) {
      // Data before -s, read only because a seek failed: not part of the copy.
      if (this.st.sp + n <= so) length = 0;
      else {
        length = this.st.sp + n - so;
        offset = so - this.st.sp;
      }
    }
    if (length <= 0) return;
    this.debug(DebugBits.seek, () => `debug: seek in destination file: ${this.st.wp}\n`);
    this.debug(DebugBits.io, () => `debug: writing data to destination file: ${length} bytes at ${this.st.wp}\n`);
    const error = this.sink.write(offset === 0 ? this.buf : this.buf.subarray(offset), length, this.st.wp);
    if (error !== null) {
      this.sink.err(`\nError: write to ${cfg.destName} failed : ${error}\n`);
      this.st.writeFailed(this.sink.writtenUpTo?.());
      return;
    }
    this.st.wp += length;
  }

  /** Print `}[block](+bytes)`, count the damage and mark the area. */
  private closeBadArea(description: string, markTo = this.st.rp, markFrom = this.st.lastError): void {
    const bytes = this.st.rp - this.st.lastGood;
    this.st.damage += bytes;
    this.sink.out(`}[${u64(cdiv(this.st.rp, this.cfg.blockSize))}](+${u64(bytes)})`);
    this.feedback.output = true;
    if (this.cfg.human) this.sink.err("\n");
    this.feedback.lineWidth = 0;
    this.st.backtrace = false;
    if (description) this.mark(description, markTo, markFrom);
  }

  private mark(description: string, readPos: number, from: number): void {
    this.marking.mark(description, readPos, from);
    if (this.marking.failed) this.st.wantAbort = 2;
  }
  private onError(errno: number): boolean {
    const cfg = this.cfg;
    const readAt = this.st.sp;
    this.debug(DebugBits.io, () => `debug: read failed: ${this.medium.describe(errno)}\n`);
    this.st.counter = 1;
    this.st.desperate = true;
    if (this.st.remain > cfg.resolution && this.st.newError > 0) {
      // Maybe the start of a bad area: read less to get what precedes it.
      this.st.newSoftError = true;
      this.st.remain = cdiv(this.st.remain, 2);
      this.symbol(">");
    } else if (this.st.newError > 1) {
      this.st.newSoftError = true;
      this.st.newError--;
      this.symbol("!");
    } else {
      const b = cfg.blockSize;
      if (this.st.newError === 1) {
        this.st.newSoftError = false;
        this.st.newError = 0;
        this.symbol(`[${u64(cdiv(this.st.rp, b))}](+${u64(this.st.rp - this.st.lastError)}){`);
        this.st.remain = cdiv(this.st.rp, b) * b + cfg.skipSize - this.st.rp;
        this.st.lastGood = this.st.rp;
      }
      if (!this.st.backtrace) {
        this.st.hardErrors++;
        this.symbol("X");
        this.mark("continuous bad area", this.st.rp, Math.max(this.st.lastError, this.st.lastGood));
        this.st.lastError = this.st.rp;
      }
      this.st.rp += this.st.remain;
      // Re-plan with the skip size from the new position; during backtracking keep the half step.
      if (!this.st.backtrace) this.st.remain = 0;
      else this.debug(DebugBits.flow, () => `debug: bad block during backtrace - remain is ${this.st.remain} at ${this.st.rp + cfg.startOffset}\n`);
    }
    if (this.st.wantAbort) return false;
    // Fix (reference §12.9): a source whose reads fail at and past its known end (a directory,
    // some devices) made safecopy skip on forever. Files end with a 0-byte read there and
    // devices with a failed seek; a failed read there ends the loop the same way.
    if (this.st.newError === 0 && cfg.fileSize > 0 && readAt >= cfg.fileSize) return false;
    for (let k = 0; k < cfg.headMoves; k++) this.debug(DebugBits.seek, "debug: forced head realignment\n");
    const problem = this.medium.recover();
    if (problem !== null) return this.reopenFailed(problem);
    if (this.st.seekable) this.st.sp = 0;
    return true;
  }

  private reopenFailed(problem: string): boolean {
    if (this.options.forceOpen && !this.st.wantAbort) {
      this.st.reopenPending = true;
      return true;
    }
    this.sink.err(`\nError reopening sourcefile after read error : ${problem}\n`);
    this.st.wantAbort = 2;
    return false;
  }

  private retryReopen(): boolean {
    if (this.st.wantAbort) {
      this.st.reopenPending = false;
      return false;
    }
    const problem = this.medium.reopen();
    if (problem !== null) return true;
    this.st.reopenPending = false;
    if (this.st.seekable) this.st.sp = 0;
    return true;
  }

  /** End of the loop: close a bad area still open, pad marks to the end, print the summary. */
  finish(): EngineResult {
    const cfg = this.cfg;
    const so = cfg.startOffset;
    this.debug(DebugBits.flow, "debug: main loop ended\n");
    if (this.st.newError === 0) {
      this.closeBadArea("");
      if (this.st.wantAbort < 2) {
        // Fix (reference §12.1): safecopy added -s twice here, marking and listing past the end.
        if (cfg.fileSize && this.st.lastGood + so < cfg.fileSize && this.st.rp + so >= cfg.fileSize) {
          this.mark("end of file - filling to filesize", cfg.fileSize - so, this.st.lastGood);
        } else {
          this.mark("end of file - filling to last seen position", this.st.rp, this.st.lastGood);
        }
      }
    }
    const exitCode = this.st.wantAbort ? 2 : this.st.damage > 0 ? 1 : 0;
    const result: EngineResult = { aborted: this.st.wantAbort, softErrors: this.st.softErrors, hardErrors: this.st.hardErrors, damage: this.st.damage, written: this.st.wp, exitCode };
    this.sink.out(summary(result, cfg.blockSize));
    return result;
  }
}
