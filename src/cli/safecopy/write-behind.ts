// Coalesces the engine's block-sized writes into large pwrites (one syscall per MiB on a
// healthy stretch instead of one per block). Only adjacent writes are merged, so the file
// content is the same as writing each block at once; it is flushed before anything that
// describes the data (the bad-block list), at the end, and on abort.
import { pwriteRaw } from "../../native/io.ts";

const CAPACITY = 1 << 20;

export class WriteBehind {
  private readonly pending = new Uint8Array(CAPACITY);
  private start = 0;
  private length = 0;
  /** First error seen by a flush, reported by the next write (strerror text). */
  private failure: string | null = null;

  constructor(private readonly fd: number, private readonly describe: (errno: number) => string) {}

  write(buf: Uint8Array, length: number, position: number): string | null {
    if (this.failure) return this.failure;
    if (this.length > 0 && position === this.start + this.length && this.length + length <= CAPACITY) {
      this.pending.set(buf.subarray(0, length), this.length);
      this.length += length;
      return null;
    }
    const problem = this.flush();
    if (problem) return problem;
    if (length >= CAPACITY) return this.writeAll(buf, length, position);
    this.pending.set(buf.subarray(0, length), 0);
    this.start = position;
    this.length = length;
    return null;
  }

  flush(): string | null {
    if (this.failure) return this.failure;
    if (this.length === 0) return null;
    const problem = this.writeAll(this.pending, this.length, this.start);
    this.length = 0;
    if (problem) this.failure = problem;
    return problem;
  }

  private writeAll(buf: Uint8Array, length: number, position: number): string | null {
    let done = 0;
    while (done < length) {
      const n = pwriteRaw(this.fd, done === 0 ? buf : buf.subarray(done), length - done, position + done);
      if (n < 0) return this.describe(-n);
      if (n === 0) return this.describe(28); // ENOSPC: no progress means no room
      done += n;
    }
    return null;
  }
}
