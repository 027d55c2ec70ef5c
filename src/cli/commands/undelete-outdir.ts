// undelete's output directory: new or empty — or holding only the output of an
// interrupted undelete of the same filesystem, which is replaced (docs/ffs.md,
// "Interrupting"). Anything else is refused: we never delete what we did not write.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { refuseForeignSymlink } from "../../util/foreign-symlink.ts";
import { outputDirMode } from "../../util/output-mode.ts";
import { UserError } from "../exit.ts";
import { log } from "../log.ts";

export const REPORT = "report.txt";
export const REPORT_JSON = "report.json";
/** The last line of the report of an interrupted run starts with this. */
export const INTERRUPTED_MARK = "# INTERRUPTED";
const PIECE = /^piece\d{4,}p?$/;

export const reportHeader = (fs: string) => `# salvage undelete ${fs}:`;

/** The first and last line of a file (reads at most 4 KiB from each end). */
function ends(path: string): [string, string] {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, 4096));
    readSync(fd, head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(size, 4096));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const lines = tail.toString("utf8").replace(/\n$/, "").split("\n");
    return [head.toString("utf8").split("\n")[0] ?? "", lines[lines.length - 1] ?? ""];
  } finally {
    closeSync(fd);
  }
}

export function prepareOutDir(dir: string, fs: string): void {
  refuseForeignSymlink(dir);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: outputDirMode() });
    return;
  }
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir} exists and is not a directory`);
  const names = readdirSync(dir);
  if (names.length === 0) return;
  const notEmpty = `${dir} is not empty: choose a new or empty output directory`;
  if (!names.includes(REPORT) || !names.every((n) => n === REPORT || n === REPORT_JSON || PIECE.test(n))) throw new UserError(notEmpty);
  const [first, last] = ends(join(dir, REPORT));
  if (!last.startsWith(INTERRUPTED_MARK)) throw new UserError(notEmpty);
  if (!first.startsWith(reportHeader(fs)))
    throw new UserError(`${dir} holds an interrupted undelete of another filesystem (${first.slice(2)}): remove it or choose another directory`);
  // The same job again: its pieces will be written anew, numbered from 1.
  log.info(`${dir}: replacing the output of an interrupted undelete (${names.filter((n) => PIECE.test(n)).length} pieces)`);
  for (const n of names) if (n !== REPORT) unlinkSync(join(dir, n));
  // (report.json, if any, went with the pieces above)
  unlinkSync(join(dir, REPORT)); // last: until here a rerun still recognises the directory
}
