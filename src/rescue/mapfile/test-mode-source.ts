// ddrescue's test mode (-H): a mapfile says which blocks of the input are readable ('+');
// reads anywhere else fail with EIO, without touching the input. Reads that run into a
// failing block return the good part first, like a drive. The apparent size is the map's.
import type { Source } from "../../io/source.ts";
import type { Extent } from "./status-map.ts";

const EIO = 5;

export class TestModeSource implements Source {
  readonly size: number;
  private readonly good: Array<[number, number]>;

  constructor(readonly inner: Source, blocks: readonly Extent[]) {
    this.good = blocks.filter((b) => b.status === "+").map((b) => [b.pos, b.pos + b.size]);
    const last = blocks[blocks.length - 1];
    const mapEnd = last ? last.pos + last.size : 0;
    this.size = inner.size === null ? mapEnd : Math.min(inner.size, mapEnd);
  }

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

  close(): void {
    this.inner.close();
  }
}

/** Slows every read down (test-only): gives kill/resume tests time to land anywhere. */
export class DelayedSource implements Source {
  constructor(readonly inner: Source, readonly delayMs: number) {}
  get path(): string {
    return this.inner.path;
  }
  get size(): number | null {
    return this.inner.size;
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
  read(buf: Uint8Array, length: number, offset: number): number {
    Bun.sleepSync(this.delayMs);
    return this.inner.read(buf, length, offset);
  }
  close(): void {
    this.inner.close();
  }
}
