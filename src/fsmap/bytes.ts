// Little-endian integers of on-disk structures (NTFS, exFAT, FAT), as plain numbers. Fields are up to 8 bytes wide;
// anything at or above 2^53 cannot be a real offset on any disk, so it reads as Infinity and
// fails the range check that follows every read.
export function le(b: Uint8Array, o: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + b[o + i]!;
  return v >= 2 ** 53 ? Infinity : v;
}

/** A signed little-endian integer of n (1..8) bytes, as run lists store LCN deltas. */
export function leSigned(b: Uint8Array, o: number, n: number): number {
  const v = le(b, o, n);
  if (!(b[o + n - 1]! & 0x80)) return v;
  // Two's complement: subtract 2^(8n), done as -(complement + 1) to stay within doubles.
  let c = 0;
  for (let i = n - 1; i >= 0; i--) c = c * 256 + (255 - b[o + i]!);
  return -(c + 1);
}
