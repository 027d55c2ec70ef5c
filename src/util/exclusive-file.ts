// The one way salvage creates a temporary file: a random name in the target's own directory,
// created exclusively (O_EXCL) without following a symlink (O_NOFOLLOW). Another user who can
// write that directory can neither guess the name in advance nor plant a symlink or a file
// under it that we would then write through (docs/security.md, "Temporary files").
import { closeSync, constants, fsyncSync, openSync, renameSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { refuseForeignSymlink } from "./foreign-symlink.ts";
import { outputMode } from "./output-mode.ts";

const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export interface ExclusiveFile {
  /** Its temporary name (beside the target). */
  readonly path: string;
  readonly fd: number;
}

/**
 * Create `<dir>/.<name>.<random>.<tag>` beside `target`, open for writing.
 * `mode` defaults to the output mode (0600 unless `--mode`). `dirChecked`: the caller has
 * refused a foreign symlink in the target's directory already (one check for hundreds of
 * files there); the file's own name needs none, as it is created with O_EXCL|O_NOFOLLOW
 * and renamed over the target, never written through it.
 */
export function createExclusive(target: string, tag = "tmp", mode = outputMode(), dirChecked = false): ExclusiveFile {
  if (!dirChecked) refuseForeignSymlink(target);
  for (let attempt = 0; ; attempt++) {
    const path = join(dirname(target), `.${basename(target)}.${randomHex8()}.${tag}`);
    try {
      return { path, fd: openSync(path, CREATE, mode) };
    } catch (e) {
      // A clash with 64 random bits means someone is planting names: give up after a few.
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 8) throw e;
    }
  }
}

/** 64 random bits in hex. Web Crypto is built in; importing node:crypto took 5-7 ms in a
 *  compiled binary, for every command whose files go through here. */
function randomHex8(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString("hex");
}

/** fsync, close and rename over `target`. On failure the temporary file is removed. */
export function commitExclusive(file: ExclusiveFile, target: string): void {
  try {
    fsyncSync(file.fd);
  } catch (e) {
    discardExclusive(file);
    throw e;
  }
  closeSync(file.fd);
  renameExclusive(file, target);
}

/**
 * For many small files (undelete writes hundreds): close without fsync, keeping the
 * temporary name. The caller makes all of them durable at once (one syncfs, see
 * syncFileSystem) and then gives each its final name with renameExclusive: one flush
 * instead of one per file, and still never a final name on an unwritten file.
 */
export function closeExclusive(file: ExclusiveFile): void {
  try {
    closeSync(file.fd);
  } catch (e) {
    removeQuietly(file.path);
    throw e;
  }
}

/** Give a closed temporary file its final name; on failure it is removed. */
export function renameExclusive(file: ExclusiveFile, target: string): void {
  try {
    renameSync(file.path, target);
  } catch (e) {
    removeQuietly(file.path);
    throw e;
  }
}

/** Close and remove an unfinished temporary file; never throws. */
export function discardExclusive(file: ExclusiveFile): void {
  try {
    closeSync(file.fd);
  } catch {
    /* already closed */
  }
  removeQuietly(file.path);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}
