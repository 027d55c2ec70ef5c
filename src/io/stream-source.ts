// A Source over a pipe, FIFO or character device: read in order only. The offset asked
// for is ignored, because callers (safecopy's loop after a seek-script skip) track the
// stream position themselves and a pipe cannot be positioned anyway.
import { close as closeFd, openSourceRaw, readRaw, type SourceOpenOptions } from "../native/io.ts";
import type { Source } from "./source.ts";

export class StreamSource implements Source {
  readonly size = null;
  readonly seekable = false;
  readonly sectorSize = 1;
  readonly alignment = 1;
  private fd: number;

  /** Opens read-only and blocking (waiting for data is what safecopy's select() did). */
  static open(path: string, options: SourceOpenOptions = {}): StreamSource | number {
    const fd = openSourceRaw(path, { ...options, nonblock: false });
    return fd < 0 ? fd : new StreamSource(path, fd);
  }

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
  }

  read(buf: Uint8Array, length: number, _offset: number): number {
    return readRaw(this.fd, buf, length);
  }

  close(): void {
    if (this.fd >= 0) closeFd(this.fd);
    this.fd = -1;
  }
}
