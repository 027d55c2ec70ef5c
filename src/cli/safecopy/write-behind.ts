// Coalesces the engine's block-sized writes into large pwrites (one syscall per MiB on a
// healthy stretch instead of one per block). Only adjacent writes are merged, so the file
// content is the same as writing each block at once; it is flushed before anything that
// describes the data (the bad-block list), at the end, and on abort.
import { pwriteRaw, startWritebackRaw } from "../../native/io.ts";

const CAPACITY = 1 << 20;
const EINVAL = 22, ESPIPE = 29;

export class WriteBehind {
  private readonly pending = new Uint8Array(CAPACITY);
  private start = 0;
  private length = 0;
  /** First error seen by a flush, reported by the next write (strerror text). */
  private failure: string | null = null;
  /** The failure was handed out once already: report it only once. */
  private reported = false;
  /** Where the destination stops being complete after a failure. */
  private failedAt: number | null = null;
  /**
   * Cleared when the destination refuses sync_file_range for good (/dev/null, a pipe): a copy
   * over many bad sectors flushes once per bad block, and asking again each time was a
   * failing syscall per bad sector.
   */
  private writeback = true;

  constructor(private readonly fd: number, private readonly describe: (errno: number) => string) {}

  write(buf: Uint8Array, length: number, position: number): string | null {
    if (this.failure) return this.report();
    if (this.length > 0 && position === this.start + this.length && this.length + length <= CAPACITY) {
      this.pending.set(buf.subarray(0, length), this.length);
      this.length += length;
      return null;
    }
    if (this.flush()) return this.report();
    if (length >= CAPACITY) {
      this.failure = this.writeAll(buf, length, position);
      return this.failure ? this.report() : null;
    }
    this.pending.set(buf.subarray(0, length), 0);
    this.start = position;
    this.length = length;
    return null;
  }

  /** Write what is pending; the error text of a failure not reported before, else null. */
  flush(): string | null {
    if (this.failure) return this.reported ? null : this.report();
    if (this.length === 0) return null;
    const problem = this.writeAll(this.pending, this.length, this.start);
    this.length = 0;
    if (!problem) return null;
    this.failure = problem;
    return this.report();
  }

  /** After a failure: the offset up to which everything handed in was written. */
  writtenUpTo(): number | null {
    return this.failedAt;
  }

  private report(): string {
    this.reported = true;
    return this.failure!;
  }

  private writeAll(buf: Uint8Array, length: number, position: number): string | null {
    let done = 0;
    while (done < length) {
      const n = pwriteRaw(this.fd, done === 0 ? buf : buf.subarray(done), length - done, position + done);
      if (n <= 0) {
        this.failedAt = position + done;
        return this.describe(n < 0 ? -n : 28); // a zero-byte write means no room (ENOSPC)
      }
      done += n;
    }
    // Start writing this range to disk now, in the background: the final fdatasync then has
    // little left to do, and a crash mid-rescue loses less. Errors here (a pipe) are harmless.
    if (this.writeback) {
      const r = startWritebackRaw(this.fd, position, length);
      if (r === -ESPIPE || r === -EINVAL) this.writeback = false;
    }
    return null;
  }
}
