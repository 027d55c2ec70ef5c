// Open whatever a rescue names as its source, read-only, as the right kind of Source:
// regular files and block devices are positional (FileSource), pipes, FIFOs and character
// devices are streams (StreamSource). A directory is refused (-EISDIR). --sync asks for O_DIRECT and falls back to O_SYNC where
// the filesystem refuses O_DIRECT (tmpfs answers EINVAL).
import { NativeError } from "../native/errors.ts";
import { close as closeFd, openSourceRaw } from "../native/io.ts";
import { statFd, type FileStat } from "../native/stat.ts";
import { FileSource } from "./file-source.ts";
import type { Source } from "./source.ts";
import { StreamSource } from "./stream-source.ts";

const EINVAL = 22;
const EISDIR = 21;

export interface RescueSourceOptions {
  direct?: boolean;
}

/** The source, or -errno. */
export function openRescueSource(path: string, options: RescueSourceOptions = {}): Source | number {
  // Open first, then fstat the descriptor: the kind is that of what was really opened
  // (a simulated device answers open and fstat, not stat by name).
  const probeFd = openSourceRaw(path, { nonblock: true });
  if (probeFd < 0) return probeFd;
  let st: FileStat;
  try {
    st = statFd(probeFd, path);
  } catch (e) {
    closeFd(probeFd);
    throw e;
  }
  const kind = st.kind;
  // Without --sync the probe's flags are the copy's: keep it (safecopy reopens after every
  // failed read, so this halves the opens and fstats of a rescue with many bad sectors).
  if ((kind === "regular" || kind === "block") && !options.direct) return new FileSource(path, { nonblock: true }, probeFd, st);
  closeFd(probeFd);
  if (kind === "fifo" || kind === "char" || kind === "socket") {
    const s = StreamSource.open(path, { direct: options.direct });
    return typeof s === "number" && s === -EINVAL && options.direct ? StreamSource.open(path, { sync: true }) : s;
  }
  // safecopy 1.7 opened a directory and "copied" it forever, every read failing with
  // EISDIR: refused at the door instead ("Is a directory", docs/compat.md §12.9).
  if (kind === "directory") return -EISDIR;
  try {
    return new FileSource(path, { direct: options.direct, nonblock: true });
  } catch (e) {
    if (!(e instanceof NativeError)) throw e;
    if (e.errno !== EINVAL || !options.direct) return -e.errno;
  }
  try {
    return new FileSource(path, { sync: true, nonblock: true });
  } catch (e) {
    if (e instanceof NativeError) return -e.errno;
    throw e;
  }
}
