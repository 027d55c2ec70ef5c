// safecopy's -L modes as a Source wrapper, so any engine gets them unchanged:
//   0: plain reads only, no device actions;
//   1: plain reads; after a failed read the drive is reset, the source reopened and
//      reads go through the low-level path until the next successful read ("desperate");
//   2: every read goes through the low-level path; resets as in 1.
// On a plain file or a device with no low-level access every mode reads normally.
import type { Source } from "../io/source.ts";
import type { BaseReader, LowLevelDevice } from "./low-level-device.ts";

export type LowLevelMode = 0 | 1 | 2;

/** A source that can be closed and opened again (FileSource). */
export interface ReopenableSource extends Source {
  reopen(): unknown;
}

export class LowLevelSource implements Source {
  private desperate = false;
  private readonly base: BaseReader;

  constructor(
    private readonly source: ReopenableSource,
    private readonly device: LowLevelDevice,
    readonly mode: LowLevelMode,
  ) {
    this.base = {
      read: (buf, length, offset) => source.read(buf, length, offset),
      reopen: () => void source.reopen(),
    };
  }

  get path(): string { return this.source.path; }
  get seekable(): boolean { return this.source.seekable; }
  get alignment(): number { return this.source.alignment; }
  /** A CD read in raw mode counts in its layout's sectors (2048, 2336, 2352...). */
  get sectorSize(): number { return this.rawLayout() ? this.device.sectorSize! : this.source.sectorSize; }
  get size(): number | null { return this.rawLayout() && this.device.size !== null ? this.device.size : this.source.size; }

  read(buf: Uint8Array, length: number, offset: number): number {
    const low = this.mode === 2 || (this.mode === 1 && this.desperate);
    const r = low ? this.device.read(this.base, buf, length, offset) : this.source.read(buf, length, offset);
    if (r >= 0) {
      if (r > 0) this.desperate = false;
      return r;
    }
    if (this.mode > 0) {
      this.desperate = true;
      this.device.afterReadError();
      this.source.reopen();
    }
    return r;
  }

  close(): void {
    this.device.close();
    this.source.close();
  }

  // Only -L 2 reads everything raw, so only then do the raw layout's sizes apply.
  private rawLayout(): boolean {
    return this.mode === 2 && this.device.sectorSize !== null;
  }
}
