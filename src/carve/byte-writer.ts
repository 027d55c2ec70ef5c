// Buffered output to a file or stdout. Files are written under a temporary name and
// renamed into place only when complete (after fsync), so an interrupted run never
// leaves a half-written file that looks finished. The temporary name is random and created
// exclusively (util/exclusive-file.ts); files are created with the output mode (0600).
import { closeSync, constants, fstatSync, openSync, statSync, writeSync } from "node:fs";
import { closeExclusive, commitExclusive, createExclusive, discardExclusive, renameExclusive, type ExclusiveFile } from "../util/exclusive-file.ts";
import { refuseForeignSymlink } from "../util/foreign-symlink.ts";
import { outputMode } from "../util/output-mode.ts";
import { Errno } from "../native/errors.ts";
import type { Source } from "../io/source.ts";

/** One kernel copy moves at most this much (a stop request is seen between them). */
const COPY_CHUNK = 8 << 20;

export class ByteWriter {
  private readonly fd: number;
  private readonly temp: ExclusiveFile | null;
  private readonly buf: Uint8Array;
  private used = 0;
  /** Bytes accepted so far. */
  written = 0;
  /**
   * The reader of the pipe went away (`getfree | head -c 10`): what it wanted it has, so the
   * rest is dropped and the producer may stop early; not an error for a dumper.
   */
  readerGone = false;

  /** The temporary name of a file in progress (null for stdout and devices). */
  get tempPath(): string | null {
    return this.temp?.path ?? null;
  }

  /**
   * path null = stdout. `newInCheckedDir`: path is a new regular file in a directory the
   * caller made and checked (refuseForeignSymlink): no stat and no symlink walk per file.
   */
  constructor(readonly path: string | null, bufferSize = 1 << 20, newInCheckedDir = false) {
    this.buf = new Uint8Array(bufferSize);
    if (path !== null && newInCheckedDir) {
      this.temp = createExclusive(path, "partial", outputMode(), true);
      this.fd = this.temp.fd;
    } else if (path === null) {
      this.fd = 1;
      this.temp = null;
    } else if (isSpecial(path)) {
      // /dev/null, a fifo or a device: write in place; renaming over it would replace it.
      // Opened without O_CREAT or O_TRUNC (a device may be reached by a symlink, /dev/stdout),
      // and checked again: a regular file swapped in meanwhile is refused, never truncated.
      refuseForeignSymlink(path);
      this.fd = openSync(path, constants.O_WRONLY);
      this.temp = null;
      if (fstatSync(this.fd).isFile()) {
        closeSync(this.fd);
        throw new Error(`${path} changed while it was being opened`);
      }
    } else {
      this.temp = createExclusive(path, "partial", outputMode());
      this.fd = this.temp.fd;
    }
  }

  write(bytes: Uint8Array): void {
    this.written += bytes.length;
    // A large piece goes out as it is, after what is buffered: copying hundreds of MiB of
    // free fragments into the buffer first (getfree) cost more than the extra write calls.
    if (bytes.length >= this.buf.length >> 2) {
      this.flush();
      this.put(bytes);
      return;
    }
    if (bytes.length > this.buf.length - this.used) this.flush();
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  /**
   * Copy `length` bytes at `offset` of `source` to the output inside the kernel (sendfile),
   * after what is buffered: bytes copied (short at the source's end or before damage), or
   * -errno when nothing could be copied (EINVAL/ENOSYS: not possible for these two; the
   * caller then reads and writes them itself).
   */
  copyFrom(source: Source, length: number, offset: number): number {
    if (this.readerGone) {
      this.written += length;
      return length;
    }
    if (!source.copyTo) return -Errno.ENOSYS!;
    this.flush();
    let done = 0;
    while (done < length) {
      const r = source.copyTo(this.fd, Math.min(length - done, COPY_CHUNK), offset + done);
      if (r > 0) {
        done += r;
        continue;
      }
      if (r === -Errno.EPIPE!) {
        // As for write: what the reader did not want is dropped.
        this.readerGone = true;
        done = length;
      } else if (r < 0 && done === 0) return r;
      break;
    }
    this.written += done;
    return done;
  }

  writeText(text: string): void {
    this.write(new TextEncoder().encode(text));
  }

  flush(): void {
    if (this.used > 0) this.put(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  private put(bytes: Uint8Array): void {
    if (!this.readerGone && !writeAll(this.fd, bytes)) this.readerGone = true;
  }

  /** Flush, and for a file: fsync, close and rename into place (at `finalPath` if given). */
  finish(finalPath?: string): void {
    this.flush();
    if (this.temp === null || this.path === null) {
      if (this.fd !== 1) closeSync(this.fd);
      return;
    }
    commitExclusive(this.temp, finalPath ?? this.path);
  }

  /**
   * Flush and close a file without fsync; it keeps its temporary name. The caller makes a
   * batch of files durable at once (syncFileSystem) and then calls the returned function,
   * which renames it to `finalPath`; or `discard`s it.
   */
  finishDeferred(finalPath: string): { commit(): void; discard(): void } {
    this.flush();
    const temp = this.temp!;
    closeExclusive(temp);
    return { commit: () => renameExclusive(temp, finalPath), discard: () => discardExclusive(temp) };
  }

  /** Drop a file that will not be completed (its temporary name is removed). */
  abandon(): void {
    if (this.temp !== null) discardExclusive(this.temp);
  }
}

function isSpecial(path: string): boolean {
  try {
    return !statSync(path).isFile();
  } catch {
    return false; // does not exist yet: a new regular file
  }
}

/** Write every byte; false when the reader of a pipe went away (EPIPE). */
function writeAll(fd: number, bytes: Uint8Array): boolean {
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") continue;
      if (code === "EPIPE") return false;
      throw e;
    }
  }
  return true;
}
