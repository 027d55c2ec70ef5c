// Seam for safecopy's `-L` low-level device layer (CD-ROM raw reads and drive resets,
// floppy controller reset and twaddle), implemented in src/devices/ (issue 6).
//
// The safecopy runner calls, per safecopy 1.7's -L semantics:
//   - probe(path) once at start-up when -L > 0: a CD may replace the block size and the
//     size reported by stat (and prints its own stderr lines);
//   - read(...) instead of a plain read when -L 2, or -L 1 after a failed read until the
//     next good one ("desperate" mode);
//   - afterReadError() after every failed read, before the source is reopened (drive reset);
//   - canSeek(): true when read() positions itself (CD raw mode), so a failed lseek is ignored.
// Every member is optional; `noLowLevelDevice` is the default (plain reads, nothing else),
// which is also what safecopy does on regular files and unknown devices.
import type { Source } from "./source.ts";

export interface LowLevelProbe {
  /** Block size to use instead of st_blksize (e.g. a CD's raw sector payload). */
  blockSize?: number;
  /** Size in bytes to use instead of st_size. */
  size?: number;
}

export interface LowLevelDevice {
  probe?(path: string, reportedSize: number, reportedBlockSize: number): LowLevelProbe;
  read?(source: Source, buf: Uint8Array, length: number, position: number): number;
  afterReadError?(): void;
  canSeek?(): boolean;
}

export const noLowLevelDevice: LowLevelDevice = {};
