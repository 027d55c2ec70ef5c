// Reading a disk image held in memory as a parser does, with chosen byte ranges unreadable.
import type { ReadBytes } from "../../src/fsmap/types.ts";

export function memoryReader(img: Uint8Array, bad: [number, number][] = []): ReadBytes {
  return (o, n) => (o < 0 || o + n > img.length || bad.some(([a, b]) => o < b && o + n > a) ? null : img.subarray(o, o + n));
}
