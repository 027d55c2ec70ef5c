// ddrescue -p: reserve the image's blocks before the first read, so a destination too
// small for the rescue is found at the start, not hours later. fallocate(2) through the shim:
// a rescue stick need not carry util-linux for it.
import type { FileTarget } from "../../io/file-target.ts";
import { NativeError } from "../../native/errors.ts";
import { describeErrno } from "../../native/io.ts";
import { escapeText } from "../../util/escape.ts";
import { UserError } from "../exit.ts";

/** Allocate [offset, offset + length) of the image; its data are kept. */
export function preallocate(target: FileTarget, path: string, offset: number, length: number): void {
  try {
    target.reserve(offset, length);
  } catch (e) {
    if (!(e instanceof NativeError)) throw e;
    throw new UserError(`--preallocate: cannot reserve ${length} bytes at ${offset} in '${escapeText(path)}': ${describeErrno(e.errno)} (${e.code})`);
  }
}
