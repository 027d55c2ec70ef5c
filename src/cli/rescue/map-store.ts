// Loading and saving the rescue mapfile. A save never leaves a half-written map behind:
// the image data the map describes is flushed first (fdatasync), then the map is written
// to a temporary file beside it, fsynced and renamed over the old one, and the directory
// is fsynced so the rename itself survives a crash.
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { writeTextAtomically } from "../../util/atomic-file.ts";
import { MapfileError, parseMapfile, serializeMapfile, type Mapfile, type MapfileHeader } from "../../formats/mapfile.ts";
import { UserError } from "../exit.ts";

export function loadMapfile(path: string, loose = false): Mapfile | null {
  if (!existsSync(path)) return null;
  let text: string;
  try {
    text = readFileSync(path, "latin1");
  } catch (e) {
    throw new UserError(`cannot read mapfile '${path}': ${(e as Error).message}`);
  }
  try {
    return parseMapfile(text, { loose });
  } catch (e) {
    if (e instanceof MapfileError) throw new UserError(`${path}: ${e.message}`);
    throw e;
  }
}

export function saveMapfileAtomically(path: string, map: Mapfile, header?: MapfileHeader): void {
  writeTextAtomically(path, serializeMapfile(map, header), "latin1");
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

export function saveMapfileChecked(path: string, map: Mapfile, header?: MapfileHeader): void {
  try {
    saveMapfileAtomically(path, map, header);
  } catch (e) {
    throw new MapSaveError(path, describeWriteError(e));
  }
}

/**
 * Before the first read: prove the map can be written where it will be saved (ddrescue
 * refuses at start too; finding out at the first save costs a failing disk 30 s of
 * reading). A probe file of the map's size is created beside it, exclusively under an
 * unpredictable name, as the atomic writer's temporary file will be, and removed again.
 * No fsync: a restarted rescue must not pay for one before its first read.
 */
export function proveMapWritable(path: string, current: Mapfile): void {
  const probe = join(dirname(resolve(path)), `.${basename(path)}.probe-${randomBytes(8).toString("hex")}`);
  let fd = -1;
  try {
    fd = openSync(probe, "wx", 0o600);
    const bytes = Buffer.from(serializeMapfile(current), "latin1");
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
  } catch (e) {
    throw new UserError(`cannot write the mapfile '${path}': ${describeWriteError(e)}; nothing was read`);
  } finally {
    if (fd >= 0) {
      closeSync(fd);
      rmSync(probe, { force: true });
    }
  }
}
