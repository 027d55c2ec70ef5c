// Naming the filesystem at the start of a volume by its magic numbers, for `salvage info`, where
// no parser of src/fsmap knows it yet. A name only: nothing here is used to read the filesystem.
import type { ReadBytes } from "../fsmap/types.ts";
import { hasAscii, u16, u32 } from "./bytes.ts";

const isPow2 = (x: number) => x > 0 && (x & (x - 1)) === 0;

/** ext2/3/4: magic 0xEF53 at 56 of the superblock at byte 1024; the feature flags tell which. */
function ext(read: ReadBytes, start: number): string | null {
  const sb = read(start + 1024, 1024);
  if (!sb || u16(sb, 56) !== 0xef53) return null;
  const compat = u32(sb, 92);
  const incompat = u32(sb, 96);
  // extents, 64bit, flex_bg, or a journal device: only ext4 (or a journal) uses them.
  if (incompat & 0x8) return "ext3/4 journal device";
  if (incompat & (0x40 | 0x80 | 0x200)) return "ext4";
  return compat & 0x4 ? "ext3" : "ext2";
}

/** FAT: a BIOS parameter block that makes sense; FAT32 when the 16-bit FAT size is 0. */
function fat(b: Uint8Array): string | null {
  if (!(b[0] === 0xeb || b[0] === 0xe9) || b[510] !== 0x55 || b[511] !== 0xaa) return null;
  const bytesPerSector = u16(b, 11);
  const perCluster = b[13]!;
  const fats = b[16]!;
  if (!isPow2(bytesPerSector) || bytesPerSector < 512 || bytesPerSector > 4096 || !isPow2(perCluster) || u16(b, 14) === 0 || fats < 1 || fats > 2) return null;
  if (u16(b, 22) === 0) return "fat32";
  const sectors = u16(b, 19) || u32(b, 32);
  const rootSectors = Math.ceil((u16(b, 17) * 32) / bytesPerSector);
  const clusters = Math.floor((sectors - u16(b, 14) - fats * u16(b, 22) - rootSectors) / perCluster);
  return clusters < 4085 ? "fat12" : "fat16";
}

/** The filesystem named by the magic numbers at `start`, or null when none is recognised. */
export function filesystemByMagic(read: ReadBytes, start: number): string | null {
  const boot = read(start, 512);
  if (boot) {
    if (hasAscii(boot, 3, "NTFS    ")) return "ntfs";
    if (hasAscii(boot, 3, "EXFAT   ")) return "exfat";
    const f = fat(boot);
    if (f) return f;
  }
  const e = ext(read, start);
  if (e) return e;
  const page = read(start + 4096 - 10, 10);
  if (page && (hasAscii(page, 0, "SWAPSPACE2") || hasAscii(page, 0, "SWAP-SPACE"))) return "swap";
  return null;
}
