// O_DIRECT reads are all or nothing: a 64 KiB read that spans one bad sector fails
// whole (no short read), and a real SCSI medium error arrives as ENODATA rather than
// EIO. This wrapper turns both into the Source contract engines expect: a failed
// multi-sector read is retried sector by sector and returns the good bytes before the
// first bad sector (a short read), or -EIO when the first sector itself is bad.
import { Errno } from "../native/errors.ts";
import type { Source } from "../io/source.ts";

/** Errors that mean "this medium cannot give these bytes", as opposed to bad arguments. */
export function isMediaError(r: number): boolean {
  return r === -Errno.EIO || r === -Errno.ENODATA;
}

export class SplitOnErrorSource implements Source {
  constructor(private readonly source: Source) {}

  get path(): string { return this.source.path; }
  get size(): number | null { return this.source.size; }
  get seekable(): boolean { return this.source.seekable; }
  get sectorSize(): number { return this.source.sectorSize; }
  get alignment(): number { return this.source.alignment; }

  read(buf: Uint8Array, length: number, offset: number): number {
    const r = this.source.read(buf, length, offset);
    if (!isMediaError(r)) return r;
    const sector = this.source.sectorSize;
    if (length <= sector || !this.source.seekable) return -Errno.EIO;
    let done = 0;
    while (done < length) {
      const n = Math.min(sector, length - done);
      // subarray keeps the buffer's alignment: done is a multiple of the sector size.
      const part = this.source.read(buf.subarray(done), n, offset + done);
      if (part < 0) return done > 0 ? done : isMediaError(part) ? -Errno.EIO : part;
      done += part;
      if (part < n) break;
    }
    return done;
  }

  close(): void {
    this.source.close();
  }
}
