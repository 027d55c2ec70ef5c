// Outputs are written to a temporary name, synced and renamed into place: an interrupted
// run never leaves a half-written file under the final name.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";

/** Write with `fill(fd)`, then fsync and rename into place. */
export function writeFileAtomically(path: string, fill: (fd: number) => void): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, "w", 0o644);
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
}

export function writeTextAtomically(path: string, text: string): void {
  writeFileAtomically(path, (fd) => void writeSync(fd, text));
}
