// The `detect` of a parser whose filesystem names itself in the volume's first sector (FAT,
// exFAT, NTFS): read 512 bytes at the volume's start and look. Unreadable means "not this one".
import type { FilesystemParser } from "./types.ts";

export function detectBootSector(looksRight: (boot: Uint8Array) => boolean): FilesystemParser["detect"] {
  return (read, volume) => {
    const boot = read(volume.start, 512);
    return !!boot && looksRight(boot);
  };
}
