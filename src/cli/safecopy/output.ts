// safecopy writes its symbols with write(2) as they happen; so do we, synchronously, so the
// order of stdout and stderr is the order of events. A reader that went away (`| head`)
// ends the output quietly instead of failing the rescue; a non-blocking descriptor that
// is momentarily full is waited for.
import { writeSync } from "node:fs";

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Text is written as UTF-8; bytes (a mapfile's latin1 header) as they are. Returns false once the reader is gone. */
export function descriptorWriter(fd: number): (text: string | Uint8Array) => boolean {
  let closed = false;
  return (text) => {
    if (closed) return false;
    if (text.length === 0) return true;
    // Symbols are short ASCII: write the string itself (one per failed read, so no
    // Buffer each time); only a partial or refused write falls back to bytes.
    let bytes: Buffer | null = null;
    try {
      const n = typeof text === "string" ? writeSync(fd, text) : writeSync(fd, text);
      if (n === Buffer.byteLength(text)) return true;
      bytes = Buffer.from(text).subarray(n);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "EPIPE") return !(closed = true);
      if (code !== "EAGAIN") throw e;
      bytes = Buffer.from(text);
    }
    while (bytes.length > 0) {
      try {
        const n = writeSync(fd, bytes);
        bytes = bytes.subarray(n);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === "EAGAIN") Atomics.wait(pause, 0, 0, 1);
        else if (code === "EPIPE") return !(closed = true);
        else throw e;
      }
    }
    return true;
  };
}
