// Loading and saving the rescue mapfile. A save never leaves a half-written map behind:
// the image data the map describes is flushed first (fdatasync), then the map is written
// to a temporary file beside it, fsynced and renamed over the old one, and the directory
// is fsynced so the rename itself survives a crash.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
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
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w", 0o644);
  try {
    const bytes = Buffer.from(serializeMapfile(map, header), "latin1");
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDirectory(dirname(path));
}

function syncDirectory(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
