// Loading and saving the rescue mapfile. Loading streams the file into a StatusMap (no
// text kept). A save never leaves a half-written map behind: the image data the map
// describes is flushed first (fdatasync, by the caller), then the map is written to a
// temporary file beside it, fsynced and renamed over the old one, and the directory is
// fsynced so the rename itself survives a crash.
import { existsSync } from "node:fs";
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
