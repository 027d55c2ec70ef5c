// Reading a CD through raw frames (-L): each logical sector is fetched as a whole
// 2352-byte frame with CDROMREADRAW and its user bytes copied out, so the drive's own
// error correction path for cooked reads is bypassed. Offsets are in user bytes
// (sector size of the disc's layout), as in the image being rescued.
import { RAW_FRAME_SIZE } from "./raw-frame.ts";
import type { CdLayout } from "./cd-layout.ts";

/** Reads the raw frame of one LBA into `frame`: 0 or -errno. */
export type FrameReader = (lba: number, frame: Uint8Array) => number;

export class CdRawReader {
  private readonly frame = new Uint8Array(RAW_FRAME_SIZE);

  constructor(
    private readonly layout: CdLayout,
    private readonly readFrame: FrameReader,
    /** Bytes on the disc (sectors × sector size), or null if unknown. */
    private readonly size: number | null,
  ) {
    if (layout.sectorSize <= 0) throw new RangeError(`no raw reads on a ${layout.name} disc`);
  }

  /**
   * Up to `length` bytes at `offset`: sector by sector, stopping at the first failing
   * sector. Returns the bytes copied, or -errno if the very first sector fails.
   */
  read(buf: Uint8Array, length: number, offset: number): number {
    const { sectorSize, dataOffset } = this.layout;
    const end = this.size === null ? offset + length : Math.min(offset + length, this.size);
    let done = 0;
    while (offset + done < end) {
      const pos = offset + done;
      const lba = Math.floor(pos / sectorSize);
      const inSector = pos - lba * sectorSize;
      const r = this.readFrame(lba, this.frame);
      if (r < 0) return done > 0 ? done : r;
      const n = Math.min(sectorSize - inSector, end - pos);
      buf.set(this.frame.subarray(dataOffset + inSector, dataOffset + inSector + n), done);
      done += n;
    }
    return done;
  }
}
