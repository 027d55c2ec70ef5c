// Loading and saving the rescue mapfile. A save never leaves a half-written map behind:
// the image data the map describes is flushed first (fdatasync), then the map is written
// to a temporary file beside it, fsynced and renamed over the old one, and the directory
// is fsynced so the rename itself survives a crash.
import { existsSync, readFileSync } from "node:fs";
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
