// A MemorySource with intermittent sectors, modelled on safecopy's simulator "softfail": such
// a sector fails `failures` times, reads once, and from then on fails and reads in turn. It
// never settles (MemorySource's weak sectors do), which is what drives safecopy 1.7's
// endless backtracking on weak sectors.
import { MemorySource, type MemoryDamage } from "../../src/io/memory-source.ts";

const EIO = 5;

export class IntermittentSource extends MemorySource {
  private readonly attempts = new Map<number, number>();

  constructor(data: Uint8Array, damage: MemoryDamage, intermittent: number[], private readonly failures: number, sectorSize = 1024) {
    super(data, damage, sectorSize);
    for (const s of intermittent) this.attempts.set(s, 0);
  }

  /** The simulator's counter: fail while below `failures`, else read and step back by two. */
  private fails(sector: number): boolean {
    const before = this.attempts.get(sector)!;
    this.attempts.set(sector, before + 1);
    if (before < this.failures) return true;
    this.attempts.set(sector, before - 1);
    return false;
  }

  override read(buf: Uint8Array, length: number, offset: number): number {
    // Sectors in request order, like one drive command: the first failing one ends it.
    const end = Math.min(offset + length, this.size);
    for (let s = Math.floor(offset / this.sectorSize); s * this.sectorSize < end; s++) {
      const at = s * this.sectorSize;
      if ((this.damage.bad ?? []).some(([a, b]) => at < b && at + this.sectorSize > a)) break;
      if (!this.attempts.has(s) || !this.fails(s)) continue;
      const allowed = Math.max(0, at - offset);
      if (allowed > 0) return super.read(buf, allowed, offset);
      this.reads.push({ offset, length, result: -EIO });
      return -EIO;
    }
    return super.read(buf, length, offset);
  }
}
