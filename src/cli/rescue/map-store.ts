// Loading and saving the rescue mapfile. Loading streams the file into a StatusMap (no
// text kept). A save never leaves a half-written map behind: the image data the map
// describes is flushed first (fdatasync, by the caller), then the map is written to a
// temporary file beside it, fsynced and renamed over the old one, and the directory is
// fsynced so the rename itself survives a crash.
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { loadMapFile, type LoadedMap } from "../../formats/mapfile-load.ts";
import { MapfileError } from "../../formats/mapfile-parse.ts";
import { MapfileEncoder, type BlockSource } from "../../formats/mapfile-write.ts";
import type { MapfileHeader } from "../../formats/mapfile-header.ts";
import type { StatusLine } from "../../rescue/mapfile/status.ts";
import { AtomicFileStream } from "../../util/atomic-file-stream.ts";
import { UserError } from "../exit.ts";

export function loadMapfile(path: string, loose = false): LoadedMap | null {
  if (!existsSync(path)) return null;
  try {
    return loadMapFile(path, { loose });
  } catch (e) {
    if (e instanceof MapfileError) throw new UserError(`${path}: ${e.message}`);
    throw new UserError(`cannot read mapfile '${path}': ${(e as Error).message}`);
  }
}

/** Write every piece of `enc` into `path`, atomically, blocking. */
export function writeEncodedAtomically(path: string, enc: { piece(): Uint8Array | null }): void {
  const out = new AtomicFileStream(path);
  try {
    for (let p = enc.piece(); p; p = enc.piece()) out.write(p);
  } catch (e) {
    out.abort();
    throw e;
  }
  out.commitNow();
}

export function saveMapfileAtomically(path: string, blocks: BlockSource, current: StatusLine, header?: MapfileHeader): void {
  writeEncodedAtomically(path, new MapfileEncoder(blocks, current, header));
}

/** A map save that failed: the map on disk is still the previous save (saves are atomic). */
export class MapSaveError extends Error {
  override name = "MapSaveError";
  constructor(readonly path: string, readonly reason: string) {
    super(`cannot save the mapfile '${path}': ${reason}`);
  }
}

/** Why a write failed, in words (node:fs errors carry an errno code). */
export function describeWriteError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code ?? (e as { code?: string })?.code;
  const words: Record<string, string> = {
    ENOENT: "its directory does not exist",
    ENOTDIR: "its directory is not a directory",
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "read-only filesystem",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EISDIR: "it is a directory",
  };
  return code && words[code] ? `${words[code]} (${code})` : e instanceof Error ? e.message.split("\n")[0]! : String(e);
}

/** saveMapfileAtomically, with failures as MapSaveError (the previous map is intact). */
export function saveMapfileChecked(path: string, blocks: BlockSource, current: StatusLine, header?: MapfileHeader): void {
  try {
    saveMapfileAtomically(path, blocks, current, header);
  } catch (e) {
    throw new MapSaveError(path, describeWriteError(e));
  }
}

/**
 * Before the first read: prove the map can be written where it will be saved (ddrescue
 * refuses at start too; finding out at the first save costs a failing disk 30 s of
 * reading). A probe file as large as the map is created beside it, exclusively under an
 * unpredictable name, as the atomic writer's temporary file will be, written a piece at a
 * time, and removed again. No fsync: a restarted rescue must not pay for one before its
 * first read.
 */
export function proveMapWritable(path: string, blocks: BlockSource, current: StatusLine): void {
  const probe = join(dirname(resolve(path)), `.${basename(path)}.probe-${randomBytes(8).toString("hex")}`);
  let fd = -1;
  try {
    fd = openSync(probe, "wx", 0o600);
    const enc = new MapfileEncoder(blocks, current);
    for (let p = enc.piece(); p; p = enc.piece()) for (let done = 0; done < p.length; ) done += writeSync(fd, p, done);
  } catch (e) {
    throw new UserError(`cannot write the mapfile '${path}': ${describeWriteError(e)}; nothing was read`);
  } finally {
    if (fd >= 0) {
      closeSync(fd);
      rmSync(probe, { force: true });
    }
  }
}
