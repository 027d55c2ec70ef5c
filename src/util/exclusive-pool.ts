// Temporary files made ahead, on the I/O thread pool, while the caller works on something
// else. undelete writes hundreds of files after its reassembly; creating a file is the
// kernel's work (inode allocation: 0.3-1 ms each on a busy ext4), and done here during the
// walk it leaves the main thread. Every file is an ordinary exclusive temporary file
// (exclusive-file.ts); a file not taken is removed (discard), never left behind.
import { dirname } from "node:path";
import { createExclusive, createExclusiveAsync, discardExclusive, type ExclusiveFile } from "./exclusive-file.ts";
import { refuseForeignSymlink } from "./foreign-symlink.ts";

/** Files kept open ahead at most (each holds a descriptor). */
export const POOL_MAX = 512;

export class ExclusivePool {
  private readonly ready: ExclusiveFile[] = [];
  private pending = 0;
  private waiting: Array<() => void> = [];
  private failure: unknown = null;
  /** Files made in the background so far (for tests and diagnostics). */
  made = 0;

  /** Files `.<name>.<random>.<tag>` beside `target`; its directory is checked once, here. */
  constructor(private readonly target: string, private readonly tag: string) {
    refuseForeignSymlink(dirname(target));
  }

  /**
   * Have `n` files (at most POOL_MAX) ready or on their way. Never throws: a failure shows in
   * take(). All are asked for at once: their completions arrive only when the caller's event
   * loop turns (every 50 ms of a walk), and creates in one directory take turns in the kernel
   * (the directory's lock) anyway.
   */
  want(n: number): void {
    if (this.failure !== null) return;
    for (let have = this.ready.length + this.pending; have < Math.min(n, POOL_MAX); have++) {
      this.pending++;
      createExclusiveAsync(this.target, this.tag).then(
        (f) => {
          this.made++;
          this.ready.push(f);
          this.done();
        },
        (e) => {
          this.failure ??= e;
          this.done();
        },
      );
    }
  }

  /** A ready file (made ahead), else one made now; a background failure (ENOSPC...) is thrown here. */
  take(): ExclusiveFile {
    const f = this.ready.pop();
    if (f) return f;
    if (this.failure !== null) throw this.failure;
    return createExclusive(this.target, this.tag, undefined, true);
  }

  /** Resolves when no file is on its way (the event loop has delivered them all). */
  settle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }

  /** After settle(): close and remove the files not taken. */
  discard(): void {
    for (const f of this.ready.splice(0)) discardExclusive(f);
  }

  private done(): void {
    if (--this.pending === 0) for (const w of this.waiting.splice(0)) w();
  }
}
