// Runs of set bits in an allocation bitmap, shared by the FFS free-fragment walk and the
// used-space maps (src/fsmap).
/**
 * Runs of set bits in a bitmap (bit i in byte i >> 3, least significant first, as FFS, exFAT and
 * NTFS bitmaps all are), [firstIndex, count], in address order; `length` bits at most. A
 * generator so the walk can pause between runs (and between the reads of one run) without a
 * callback.
 */
export function* setBitRuns(map: Uint8Array, length: number): Generator<[number, number], void, void> {
  let i = 0;
  while (i < length) {
    const byte = map[i >> 3]!;
    // Whole bytes of zeros (all allocated in FFS, all free elsewhere) are skipped in one step.
    if ((i & 7) === 0 && byte === 0) {
      i += 8;
      continue;
    }
    if (!(byte & (1 << (i & 7)))) {
      i++;
      continue;
    }
    const start = i;
    while (i < length) {
      const b = map[i >> 3]!;
      if ((i & 7) === 0 && b === 0xff && i + 8 <= length) {
        i += 8;
        continue;
      }
      if (!(b & (1 << (i & 7)))) break;
      i++;
    }
    yield [start, i - start];
  }
}
