// MAP.learned on disk: read back before a resumed rescue, written after each map save
// (learned-state.ts says what is in it and why). A hint: a file that cannot be read or
// written costs only the learning, so failures are notes, never errors.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { LEARNED_MAX_BYTES, learnedPath, parseLearned, type LearnedState } from "../../rescue/mapfile/learned-state.ts";
import { AtomicFileStream } from "../../util/atomic-file-stream.ts";
import { writeTextAtomically } from "../../util/atomic-file.ts";

/** The state saved beside `mapPath` for this drive, or null with a note on why it is not used (null: no file). */
export function readLearned(mapPath: string, size: number, sector: number): { state: LearnedState | null; note: string | null } {
  const path = learnedPath(mapPath);
  let fd: number;
  try {
    // Never through a symlink: the file is only ever written by rename beside the map.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { state: null, note: code === "ENOENT" ? null : `not using '${path}': cannot open it (${code})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { state: null, note: `not using '${path}': not a regular file` };
    if (st.size > LEARNED_MAX_BYTES) return { state: null, note: `not using '${path}': too large` };
    const buf = Buffer.alloc(LEARNED_MAX_BYTES + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const parsed = parseLearned(buf.subarray(0, n).toString("utf8"), size, sector);
    return typeof parsed === "string" ? { state: null, note: `not using '${path}': ${parsed}` } : { state: parsed, note: null };
  } finally {
    closeSync(fd);
  }
}

/** Write `text` beside `mapPath`, atomically, without blocking (after a background map save). */
export async function writeLearnedSoon(mapPath: string, text: string): Promise<void> {
  try {
    const out = new AtomicFileStream(learnedPath(mapPath));
    out.write(Buffer.from(text));
    await out.commit();
  } catch {
    // The map is saved; the hint is one save older, or missing.
  }
}

/** The same, blocking (the final save). */
export function writeLearnedNow(mapPath: string, text: string): void {
  try {
    writeTextAtomically(learnedPath(mapPath), text);
  } catch {
    // As above.
  }
}
