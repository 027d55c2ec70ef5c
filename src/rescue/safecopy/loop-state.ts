// The variables of safecopy's read loop (its statusvars), in one place so the per-block
// engine and the bulk fast path work on the same state.
export class LoopState {
  /** Wanted read position, relative to -s. */
  rp = 0;
  /** The source's actual offset (absolute); 0 after a reopen. */
  sp = 0;
  /** Where the next write goes in the destination (= rp after a successful read). */
  wp = 0;
  /** Bytes still wanted at rp in this block (or skip, inside a bad area). */
  remain = 0;
  /** Retries left at this spot; 0 means "inside a bad area, probing for its end". */
  newError: number;
  /** A retry or halving is pending: the next good read counts as a recovered block. */
  newSoftError = false;
  /** Halving back towards the end of a bad area after a good probe. */
  backtrace = false;
  /** Start of the current bad area. */
  lastGood = 0;
  /** End of the previous bad area (or the last X). */
  lastError = 0;
  /** Dot counter: a '.' at 0, then every 1024 full reads. */
  counter = 1;
  softErrors = 0;
  /** Number of X (skips), not of blocks. */
  hardErrors = 0;
  /** Bytes inside bad areas. */
  damage = 0;
  /** After a failed read until the next good one: -L 1 uses the low-level reader. */
  desperate = false;
  seekable = true;
  /** Last read result; 0 (end of source) ends the loop. */
  block = -1;
  /** 1 = stopped by the user, 2 = stopped by an error. */
  wantAbort: 0 | 1 | 2 = 0;
  /** --forceopen: the source is gone and must be reopened before reading on. */
  reopenPending = false;

  /** A data write failed: stop, and report as copied only what reached the destination. */
  writeFailed(sinkPosition: number | null | undefined): void {
    this.wantAbort = 2;
    if (sinkPosition !== null && sinkPosition !== undefined && sinkPosition < this.wp) this.wp = sinkPosition;
  }

  constructor(retries: number) {
    this.newError = retries;
  }
}
