// Where rescued bytes go: a file or a device, through the shim.
// Block devices are never truncated or extended; a regular file may be.
import { close as closeFd, fallocate, fdatasync, fsync, ftruncate, openTarget, pwriteAll, startWritebackRaw } from "../native/io.ts";
import { statFd, statPath, type FileStat } from "../native/stat.ts";
import { outputMode } from "../util/output-mode.ts";

export interface FileTargetOptions {
  /** Empty an existing regular file first (dd's default; not safecopy's). */
  truncate?: boolean;
  /** O_DIRECT / O_SYNC on the target. */
  direct?: boolean;
  sync?: boolean;
}

/** Bytes written before their writeback is started. */
const WRITEBACK_BYTES = 1 << 20;

export class FileTarget {
  readonly stat: FileStat;
  private fd: number;

  constructor(readonly path: string, options: FileTargetOptions = {}) {
    let existing: FileStat | undefined;
    try {
      existing = statPath(path);
    } catch {
      existing = undefined;
    }
    const isDevice = existing?.kind === "block" || existing?.kind === "char";
    this.fd = openTarget(path, {
      create: !isDevice,
      truncate: !!options.truncate && !isDevice,
      direct: options.direct,
      sync: options.sync,
      mode: outputMode(),
    });
    this.stat = statFd(this.fd, path);
  }

  get isDevice(): boolean {
    return this.stat.kind === "block" || this.stat.kind === "char";
  }

  get descriptor(): number {
    return this.fd;
  }

  /** Write `length` bytes of buf at offset; throws NativeError (ENOSPC, EIO...) with context. */
  write(buf: Uint8Array, length: number, offset: number): void {
    pwriteAll(this.fd, buf, length, offset, this.path);
    this.writeback(offset, length);
  }

  /** Written but not yet handed to writeback: [start, end). */
  private dirtyStart = 0;
  private dirtyEnd = 0;

  /**
   * Start writing each MiB to the disk as soon as it is complete, in the background
   * (sync_file_range): the flush before a map save, and the final one, then have little
   * left to do, so the data is durable at nearly the speed it is read. Errors here are
   * harmless (a pipe, a character device); fdatasync reports real ones.
   */
  private writeback(offset: number, length: number): void {
    if (offset !== this.dirtyEnd) {
      this.startWriteback();
      this.dirtyStart = offset;
    }
    this.dirtyEnd = offset + length;
    if (this.dirtyEnd - this.dirtyStart >= WRITEBACK_BYTES) this.startWriteback();
  }

  private startWriteback(): void {
    if (this.dirtyEnd > this.dirtyStart) startWritebackRaw(this.fd, this.dirtyStart, this.dirtyEnd - this.dirtyStart);
    this.dirtyStart = this.dirtyEnd;
  }

  /** Set a regular file's length; a no-op on devices, whose size is fixed. */
  truncate(length: number): void {
    if (!this.isDevice) ftruncate(this.fd, length, this.path);
  }

  /** Reserve the blocks of [offset, offset+length) of an image file (data kept): ENOSPC now, not hours later. */
  reserve(offset: number, length: number): void {
    if (length > 0 && !this.isDevice) fallocate(this.fd, offset, length, this.path);
  }

  /** Data reaches the disk before anything that describes it (a map, a bad-block list). */
  syncData(): void {
    fdatasync(this.fd, this.path);
  }

  sync(): void {
    fsync(this.fd, this.path);
  }

  close(): void {
    if (this.fd >= 0) closeFd(this.fd);
    this.fd = -1;
  }
}
