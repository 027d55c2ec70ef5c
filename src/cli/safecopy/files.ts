// The files around a safecopy run besides source and destination: the -I/-X lists it
// reads and the -o/-T files it appends to. Append is done by writing at the tracked end
// offset (the shim has no O_APPEND); one process owns these files during a run.
import { readFileSync } from "node:fs";
import { close as closeFd, describeErrno, openTarget, pwriteAll } from "../../native/io.ts";
import { NativeError } from "../../native/errors.ts";
import { statFd } from "../../native/stat.ts";
import { outputMode } from "../../util/output-mode.ts";

/** Read a list file; its text, or the strerror text of the failure. */
export function readListFile(path: string): { text: string } | { error: string } {
  try {
    return { text: readFileSync(path, "latin1") };
  } catch (e) {
    const errno = Math.abs(Number((e as { errno?: number }).errno ?? 5));
    // safecopy's fopen() accepts a directory and then reads nothing: an empty list.
    if (errno === 21) return { text: "" };
    return { error: describeErrno(errno) };
  }
}

/** A text file written line by line at its end (safecopy's -o and -T files). */
export class AppendFile {
  private position: number;
  private readonly encoder = new TextEncoder();
  private bytes = new Uint8Array(64);

  private constructor(private fd: number, readonly path: string, start: number) {
    this.position = start;
  }

  /** truncate: start empty (first stage); otherwise keep and append. Error text on failure. */
  static open(path: string, truncate: boolean): AppendFile | string {
    try {
      const fd = openTarget(path, { create: true, truncate, mode: outputMode() });
      return new AppendFile(fd, path, truncate ? 0 : statFd(fd, path).size);
    } catch (e) {
      if (e instanceof NativeError) return describeErrno(e.errno);
      throw e;
    }
  }

  /** One line per bad block: encoded into a reused buffer, not a new one per line. */
  append(text: string): void {
    if (this.bytes.length < text.length * 3) this.bytes = new Uint8Array(text.length * 3);
    const length = this.encoder.encodeInto(text, this.bytes).written;
    pwriteAll(this.fd, this.bytes, length, this.position, this.path);
    this.position += length;
  }

  close(): void {
    if (this.fd >= 0) closeFd(this.fd);
    this.fd = -1;
  }
}
