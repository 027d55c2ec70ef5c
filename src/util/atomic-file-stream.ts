// An atomically replaced file written a piece at a time, for saves that must not stop the
// caller: pieces go to a temporary file beside the target (created exclusively, never
// following a symlink, under an unpredictable name), then commit() fsyncs it on a worker
// thread (node:fs callbacks run off the main thread), renames it over the target and
// fsyncs the directory. An interruption at any moment leaves the old file or the new one
// under the final name, never half of one (the same guarantee as atomic-file.ts).
import { closeSync, fsync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { createExclusive } from "./exclusive-file.ts";
import { outputMode } from "./output-mode.ts";
import { dirname } from "node:path";
import { syncDirectory } from "./atomic-file.ts";

const fsyncAsync = (fd: number) => new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));

export class AtomicFileStream {
  private fd: number;
  private readonly temp: string;
  private state: "open" | "committing" | "done" = "open";
  /** Bytes written so far. */
  written = 0;

  constructor(
    readonly path: string,
    mode = outputMode(),
  ) {
    // The one way temporary files are made (exclusive-file.ts): random name beside the
    // target, O_EXCL | O_NOFOLLOW, private mode, never through another user's symlink.
    const file = createExclusive(path, "tmp", mode);
    this.temp = file.path;
    this.fd = file.fd;
  }

  write(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.written += bytes.length;
  }

  /** Flush to disk without blocking the caller (fsync on a worker thread), then rename into place. */
  async commit(): Promise<void> {
    this.state = "committing";
    try {
      await fsyncAsync(this.fd);
    } catch (e) {
      this.abort();
      throw e;
    }
    this.renameIntoPlace();
    await syncDirectoryAsync(dirname(this.path));
  }

  /** The same, blocking (final saves, map tools). */
  commitNow(): void {
    try {
      fsyncSync(this.fd);
    } catch (e) {
      this.abort();
      throw e;
    }
    this.renameIntoPlace();
    syncDirectory(dirname(this.path));
  }

  private renameIntoPlace(): void {
    try {
      closeSync(this.fd);
      this.fd = -1;
      renameSync(this.temp, this.path);
    } catch (e) {
      this.abort();
      throw e;
    }
    this.state = "done";
  }

  /** Give up: close and remove the temporary file. */
  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (this.state !== "done") {
      try {
        unlinkSync(this.temp);
      } catch {
        /* already gone */
      }
    }
    this.state = "done";
  }
}

/** Make a rename durable; some filesystems refuse fsync on a directory (the rename is still atomic). */
async function syncDirectoryAsync(dir: string): Promise<void> {
  let fd = -1;
  try {
    fd = openSync(dir, "r");
    await fsyncAsync(fd);
  } catch {
    /* see above */
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
