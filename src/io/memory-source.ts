// An in-memory Source with damage, for testing engines without a failing disk.
// Semantics follow a real drive: a read that starts on a bad sector fails with EIO;
// one that runs into a bad sector returns the good part before it (a short read).
import type { Source } from "./source.ts";

const EIO = 5;

export interface MemoryDamage {
  /** Byte ranges [start, end) that always fail. */
  bad?: Array<[number, number]>;
  /** Sectors that fail the first `failures` reads, then read correctly. */
  weak?: Array<{ start: number; end: number; failures: number }>;
  /** When true, a read that touches damage fails whole instead of returning a short count. */
  failWhole?: boolean;
}

export class MemorySource implements Source {
  readonly size: number;
  readonly seekable = true;
  readonly alignment = 1;
  /** Every read made, for tests that check the I/O pattern. */
  readonly reads: Array<{ offset: number; length: number; result: number }> = [];
  private weakLeft = new Map<number, number>();

  constructor(
    readonly data: Uint8Array,
    readonly damage: MemoryDamage = {},
    readonly sectorSize = 512,
    readonly path = "memory",
  ) {
    this.size = data.length;
    for (const w of damage.weak ?? []) {
      for (let s = Math.floor(w.start / sectorSize); s * sectorSize < w.end; s++) this.weakLeft.set(s, w.failures);
    }
  }

  private sectorFails(sector: number): boolean {
    const pos = sector * this.sectorSize;
    if ((this.damage.bad ?? []).some(([a, b]) => pos < b && pos + this.sectorSize > a)) return true;
    const left = this.weakLeft.get(sector);
    if (left !== undefined && left > 0) {
      this.weakLeft.set(sector, left - 1);
      return true;
    }
    return false;
  }

  read(buf: Uint8Array, length: number, offset: number): number {
    const end = Math.min(offset + length, this.size);
    let good = offset;
    let result: number;
    if (offset >= this.size) result = 0;
    else {
      // Sectors are processed in order, like one drive command.
      for (let s = Math.floor(offset / this.sectorSize); s * this.sectorSize < end; s++) {
        if (this.sectorFails(s)) break;
        good = Math.min((s + 1) * this.sectorSize, end);
      }
      if (good === end) result = end - offset;
      else if (good === offset || this.damage.failWhole) result = -EIO;
      else result = good - offset;
      if (result > 0) buf.set(this.data.subarray(offset, offset + result), 0);
    }
    this.reads.push({ offset, length, result });
    return result;
  }

  close(): void {}
}
