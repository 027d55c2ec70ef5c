// State and result files are written to a temporary name beside the target, fsynced, renamed
// into place and the directory fsynced: an interruption at any moment leaves either the old
// file or the new one under the final name, never half of one. The temporary name is created
// exclusively with a random name (exclusive-file.ts), so nothing planted there is written to.
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { commitExclusive, createExclusive, discardExclusive } from "./exclusive-file.ts";
import { outputMode } from "./output-mode.ts";

/** Write with `fill(fd)`, then fsync, rename into place and fsync the directory. */
export function writeFileAtomically(path: string, fill: (fd: number) => void, mode = outputMode()): void {
  const temp = createExclusive(path, "tmp", mode);
  try {
    fill(temp.fd);
  } catch (e) {
    discardExclusive(temp);
    throw e;
  }
  commitExclusive(temp, path);
  syncDirectory(dirname(path));
}

export function writeBytesAtomically(path: string, bytes: Uint8Array, mode = outputMode()): void {
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
