// safecopy writes its symbols with write(2) as they happen; so do we, synchronously, so the
// order of stdout and stderr is the order of events. A reader that went away (`| head`)
// ends the output quietly instead of failing the rescue; a non-blocking descriptor that
// is momentarily full is waited for.
//
// A copy over many bad sectors prints ten symbols or so per bad sector: the text is encoded
// into one reused buffer and written through the shim, which costs about half the CPU of
// fs.writeSync with a string (no Buffer, no Node error objects on the way).
import { check, writeRaw } from "../../native/io.ts";

const EINTR = 4, EAGAIN = 11, EPIPE = 32;
const pause = new Int32Array(new SharedArrayBuffer(4));
const encoder = new TextEncoder();

/** Text is written as UTF-8; bytes (a mapfile's latin1 header) as they are. Returns false once the reader is gone. */
export function descriptorWriter(fd: number): (text: string | Uint8Array) => boolean {
  let closed = false;
  let bytes = new Uint8Array(256);
  return (text) => {
    if (closed) return false;
    if (text.length === 0) return true;
    let data = text as Uint8Array;
    let length = text.length;
    if (typeof text === "string") {
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      if (bytes.length < text.length * 3) bytes = new Uint8Array(text.length * 3);
      length = encoder.encodeInto(text, bytes).written;
      data = bytes;
    }
    let done = 0;
    while (done < length) {
      const n = writeRaw(fd, done === 0 ? data : data.subarray(done), length - done);
      if (n >= 0) done += n;
      else if (n === -EAGAIN) Atomics.wait(pause, 0, 0, 1);
      else if (n === -EPIPE) return !(closed = true);
      else if (n !== -EINTR) check(n, "write");
    }
    return true;
  };
}
