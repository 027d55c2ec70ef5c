// Little-endian fields of on-disk tables, read from plain byte arrays (no DataView to build per
// sector). Every partition table salvage reads is little-endian on the PCs that write them.

export const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);

export const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;

/** A 64-bit field as a number; beyond 2^53 it is not exact, which callers reject with isSafeInteger. */
export const u64 = (b: Uint8Array, at: number): number => u32(b, at) + u32(b, at + 4) * 0x100000000;

/** True when `text` (ASCII) is at `at`. */
export function hasAscii(b: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > b.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** A sector count or LBA times the sector size, or null when that is not an exact byte offset. */
export function bytesOf(sectors: number, sectorSize: number): number | null {
  const n = sectors * sectorSize;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}
