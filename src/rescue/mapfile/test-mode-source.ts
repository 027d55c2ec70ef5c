// ddrescue's test mode (-H): a mapfile says which blocks of the input are readable ('+');
// reads anywhere else fail with EIO, without touching the input. Reads that run into a
// failing block return the good part first, like a drive. The apparent size is the map's.
import type { Source } from "../../io/source.ts";
import type { Extent } from "./status-map.ts";

const EIO = 5;

/** A Source that passes everything to another one; subclasses change reads. */
abstract class WrappedSource implements Source {
  constructor(readonly inner: Source) {}
  get path(): string {
    return this.inner.path;
  }
  get seekable(): boolean {
    return this.inner.seekable;
  }
  get sectorSize(): number {
    return this.inner.sectorSize;
  }
  get alignment(): number {
    return this.inner.alignment;
  }
  get size(): number | null {
    return this.inner.size;
  }
  abstract read(buf: Uint8Array, length: number, offset: number): number;
  close(): void {
    this.inner.close();
  }
}

export class TestModeSource extends WrappedSource {
  private readonly apparentSize: number;
  private readonly good: Array<[number, number]>;

  constructor(inner: Source, blocks: readonly Extent[]) {
    super(inner);
    this.good = blocks.filter((b) => b.status === "+").map((b) => [b.pos, b.pos + b.size]);
    const last = blocks[blocks.length - 1];
    const mapEnd = last ? last.pos + last.size : 0;
    this.apparentSize = inner.size === null ? mapEnd : Math.min(inner.size, mapEnd);
  }


  override get size(): number {
    return this.apparentSize;
  }

  /** Bytes readable from pos before the first failing byte. */
  private readableFrom(pos: number): number {
    let lo = 0;
    let hi = this.good.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = this.good[mid]!;
      if (pos < a) hi = mid - 1;
      else if (pos >= b) lo = mid + 1;
      else return b - pos;
    }
    return 0;
  }

  read(buf: Uint8Array, length: number, offset: number): number {
    if (offset >= this.size) return 0;
    const want = Math.min(length, this.size - offset);
    const ok = Math.min(want, this.readableFrom(offset));
    if (ok === 0) return -EIO;
    return this.inner.read(buf, ok, offset);
  }
}

/** Slows every read down (test-only): gives kill/resume tests time to land anywhere. */
export class DelayedSource extends WrappedSource {
  constructor(inner: Source, readonly delayMs: number) {
    super(inner);
  }
  read(buf: Uint8Array, length: number, offset: number): number {
    Bun.sleepSync(this.delayMs);
    return this.inner.read(buf, length, offset);
  }
}

/** ddrescue -b: the rescue works in sectors of this size, whatever the source reports. */
export class SectorSizeSource extends WrappedSource {
  constructor(inner: Source, private readonly sector: number) {
    super(inner);
  }
  override get sectorSize(): number {
    return this.sector;
  }
  read(buf: Uint8Array, length: number, offset: number): number {
    return this.inner.read(buf, length, offset);
  }
}
