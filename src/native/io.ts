// Typed wrappers over the shim's file and device calls.
// Two levels on purpose: the raw calls return a count or -errno, for hot paths where an
// error is data (a bad sector); the checked calls throw NativeError with context.
import { shim } from "./library.ts";
import { NativeError } from "./errors.ts";
import { refuseForeignSymlink } from "../util/foreign-symlink.ts";
import { cString } from "./cstring.ts";

// Mirrors SHIM_O_* in csrc/shim.h.
const O_DIRECT = 0x01, O_SYNC = 0x02, O_NONBLOCK = 0x04, O_CREATE = 0x08, O_TRUNC = 0x10, O_EXCL = 0x20, O_RDWR = 0x40;

export interface SourceOpenOptions {
  direct?: boolean;
  sync?: boolean;
  nonblock?: boolean;
}

export interface TargetOpenOptions extends SourceOpenOptions {
  create?: boolean;
  truncate?: boolean;
  exclusive?: boolean;
  readWrite?: boolean;
  mode?: number;
}

function ioFlags(o: SourceOpenOptions): number {
  return (o.direct ? O_DIRECT : 0) | (o.sync ? O_SYNC : 0) | (o.nonblock ? O_NONBLOCK : 0);
}

/** Throw a NativeError when a raw result is negative; otherwise return it. */
export function check(result: number, op: string, path?: string, offset?: number): number {
  if (result >= 0) return result;
  throw new NativeError(-result, { op, path, offset }, describeErrno(-result));
}

export function describeErrno(errno: number): string {
  return String(shim().shim_strerror(errno));
}

/** Open a source. There is deliberately no way to ask for write access. */
export function openSource(path: string, options: SourceOpenOptions = {}): number {
  return check(shim().shim_open_read(cString(path), ioFlags(options)), "open", path);
}

/** Raw variant of openSource: fd or -errno (used for reopen-after-error loops). */
export function openSourceRaw(path: string, options: SourceOpenOptions = {}): number {
  return shim().shim_open_read(cString(path), ioFlags(options));
}

export function openTarget(path: string, o: TargetOpenOptions = {}): number {
  refuseForeignSymlink(path);
  const flags = ioFlags(o) | (o.create ? O_CREATE : 0) | (o.truncate ? O_TRUNC : 0) | (o.exclusive ? O_EXCL : 0) | (o.readWrite ? O_RDWR : 0);
  return check(shim().shim_open_target(cString(path), flags, o.mode ?? 0o666), "open", path);
}

export function close(fd: number): void {
  shim().shim_close(fd);
}

/** pread: bytes read (0 at end of file) or -errno. */
export function preadRaw(fd: number, buf: Uint8Array, length: number, offset: number): number {
  return shim().shim_pread(fd, buf, length, offset) as number;
}

export function pwriteRaw(fd: number, buf: Uint8Array, length: number, offset: number): number {
  return shim().shim_pwrite(fd, buf, length, offset) as number;
}

export function readRaw(fd: number, buf: Uint8Array, length: number): number {
  return shim().shim_read(fd, buf, length) as number;
}

export function writeRaw(fd: number, buf: Uint8Array, length: number): number {
  return shim().shim_write(fd, buf, length) as number;
}

export const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;

export function lseekRaw(fd: number, offset: number, whence: number): number {
  return shim().shim_lseek(fd, offset, whence) as number;
}

/** Write all of buf at offset, looping over short writes; throws on error (ENOSPC included). */
export function pwriteAll(fd: number, buf: Uint8Array, length: number, offset: number, path?: string): void {
  let done = 0;
  while (done < length) {
    const n = pwriteRaw(fd, done === 0 ? buf : buf.subarray(done), length - done, offset + done);
    if (n < 0) check(n, "write", path, offset + done);
    if (n === 0) check(-28 /* ENOSPC: a zero-byte write means no room */, "write", path, offset + done);
    done += n;
  }
}

export function fsync(fd: number, path?: string): void {
  check(shim().shim_fsync(fd), "fsync", path);
}

export function fdatasync(fd: number, path?: string): void {
  check(shim().shim_fdatasync(fd), "fdatasync", path);
}

/** sendfile(2): copy `length` bytes at `offset` of inFd to outFd inside the kernel. Bytes copied or -errno. */
export function sendfileRaw(outFd: number, inFd: number, offset: number, length: number): number {
  return shim().shim_sendfile(outFd, inFd, offset, length) as number;
}

/** Open a directory read-only: fd or -errno. */
export function openDirectoryRaw(path: string): number {
  return shim().shim_open_directory(cString(path));
}

/** syncfs(2): make everything written to fd's filesystem durable. 0 or -errno. */
export function syncfsRaw(fd: number): number {
  return shim().shim_syncfs(fd);
}

/**
 * Ask the kernel to begin writing a range to disk now, without waiting (sync_file_range).
 * Spreading writeback over a long copy leaves little for the final fdatasync and little
 * unwritten data at risk at any moment. 0 or -errno (EINVAL/ESPIPE on pipes and the like).
 */
export function startWritebackRaw(fd: number, offset: number, length: number): number {
  return shim().shim_start_writeback(fd, offset, length);
}

export function ftruncate(fd: number, length: number, path?: string): void {
  check(shim().shim_ftruncate(fd, length), "truncate", path);
}

/** Reserve [offset, offset+length) of a regular file; throws NativeError (ENOSPC, EOPNOTSUPP...). */
export function fallocate(fd: number, offset: number, length: number, path?: string): void {
  check(shim().shim_fallocate(fd, offset, length), "fallocate", path);
}

export const F_OK = 0, W_OK = 2, R_OK = 4;

/** access(2): 0 or -errno. */
export function accessRaw(path: string, mode: number): number {
  return shim().shim_access(cString(path), mode);
}

export function rename(from: string, to: string): void {
  check(shim().shim_rename(cString(from), cString(to)), "rename", from);
}
