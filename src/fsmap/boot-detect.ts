// Finding a boot sector that names its filesystem (FAT, exFAT, NTFS) at the volume's start, or
// at the backup copy the filesystem keeps when the first sector is unreadable: on a failing
// disk sector 0 is often the bad one, and the backup then tells the parser everything.
import { notYetRead, type FilesystemParser, type ReadBytes, type Volume } from "./types.ts";

/** Where a filesystem keeps backups of its boot sector, relative to the volume's start. */
export type BackupOffsets = (volume: Volume) => number[];

/** The first readable sector, at the start or at a backup offset, that `looksRight`. */
export function findBootSector(read: ReadBytes, volume: Volume, looksRight: (boot: Uint8Array) => boolean, backups: BackupOffsets): Uint8Array | null {
  const first = read(volume.start, 512);
  if (first) return looksRight(first) ? first : null;
  if (notYetRead(read, volume.start, 512)) return null;
  for (const offset of backups(volume)) {
    if (offset < 0 || offset + 512 > volume.length) continue;
    const boot = read(volume.start + offset, 512);
    if (boot && looksRight(boot)) return boot;
  }
  return null;
}

export function detectBootSector(looksRight: (boot: Uint8Array) => boolean, backups: BackupOffsets): FilesystemParser["detect"] {
  return (read, volume) => findBootSector(read, volume, looksRight, backups) !== null;
}
