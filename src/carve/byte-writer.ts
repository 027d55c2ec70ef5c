// Buffered output to a file or stdout. Files are written under a temporary name and
// renamed into place only when complete (after fsync), so an interrupted run never
// leaves a half-written file that looks finished.
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";

export class ByteWriter {
  private readonly fd: number;
  private readonly temp: string | null;
  private readonly buf: Uint8Array;
  private used = 0;
  /** Bytes accepted so far. */
  written = 0;

  /** path null = stdout. */
  constructor(readonly path: string | null, bufferSize = 1 << 20) {
    this.buf = new Uint8Array(bufferSize);
    if (path === null) {
      this.fd = 1;
      this.temp = null;
    } else if (isSpecial(path)) {
      // /dev/null, a fifo or a device: write in place; renaming over it would replace it.
      this.fd = openSync(path, "w");
      this.temp = null;
    } else {
      this.temp = `${path}.partial-${process.pid}`;
      this.fd = openSync(this.temp, "w", 0o644);
    }
  }

  write(bytes: Uint8Array): void {
    this.written += bytes.length;
    if (bytes.length > this.buf.length - this.used) this.flush();
    if (bytes.length >= this.buf.length) {
      writeAll(this.fd, bytes);
      return;
    }
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  writeText(text: string): void {
    this.write(new TextEncoder().encode(text));
  }

  flush(): void {
    if (this.used > 0) writeAll(this.fd, this.buf.subarray(0, this.used));
    this.used = 0;
  }

  /** Flush, and for a file: fsync, close and rename into place (at `finalPath` if given). */
  finish(finalPath?: string): void {
    this.flush();
    if (this.temp === null || this.path === null) {
      if (this.fd !== 1) closeSync(this.fd);
      return;
    }
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.temp, finalPath ?? this.path);
  }

  /** Drop a file that will not be completed (its temporary name is removed). */
  abandon(): void {
    if (this.temp === null) return;
    try {
      closeSync(this.fd);
      unlinkSync(this.temp);
    } catch {
      // Nothing more to clean up.
    }
  }
}

function isSpecial(path: string): boolean {
  try {
    return !statSync(path).isFile();
  } catch {
    return false; // does not exist yet: a new regular file
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (e) {
      // A pipe closed by the reader (getfree | head) ends output quietly.
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue;
      throw e;
    }
  }
}
