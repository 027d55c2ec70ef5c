// State and result files are written to a temporary name beside the target, fsynced, renamed
// into place and the directory fsynced: an interruption at any moment leaves either the old
// file or the new one under the final name, never half of one.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** Write with `fill(fd)`, then fsync, rename into place and fsync the directory. */
export function writeFileAtomically(path: string, fill: (fd: number) => void, mode = 0o644): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, "w", mode);
  try {
    fill(fd);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try { unlinkSync(temp); } catch { /* already gone */ }
    throw e;
  }
  closeSync(fd);
  renameSync(temp, path);
  syncDirectory(dirname(path));
}

export function writeBytesAtomically(path: string, bytes: Uint8Array, mode = 0o644): void {
  writeFileAtomically(path, (fd) => writeAll(fd, bytes), mode);
}

export function writeTextAtomically(path: string, text: string, encoding: BufferEncoding = "utf8"): void {
  writeBytesAtomically(path, Buffer.from(text, encoding));
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** Make a rename durable. Some filesystems refuse fsync on a directory; the rename is still atomic. */
export function syncDirectory(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    /* see above */
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
