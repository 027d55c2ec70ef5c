// What a filesystem parser gives the rescue: which bytes of the disk the filesystem uses.
// Parsers are pure functions of the bytes they read: they get a `read` callback (which may say
// "unreadable"), never a file or a device, so the same code runs on an image, on a failing disk
// through the rescue engine, and on fuzzed input in the tests.

/** A byte range of the whole source (absolute offsets, not relative to a partition). */
export interface ByteRange {
  start: number;
  length: number;
}

/**
 * Read `length` bytes at absolute `offset` of the source. Returns exactly `length` bytes, or null
 * when they cannot be read (bad sector, beyond the end). A parser treats null as "this structure
 * is unknown", never as zeros.
 */
export type ReadBytes = ((offset: number, length: number) => Uint8Array | null) & {
  /**
   * Optional, given by a rescue in progress: true when bytes a read just refused are only not
   * rescued yet (they may well be readable), not unreadable. A parser then waits for its
   * primary copy (the next round of the rescue brings it) instead of asking for a backup copy
   * that would be needed only if the primary were bad.
   */
  readonly pending?: (offset: number, length: number) => boolean;
};

/** Whether a read refused only because the bytes are not rescued yet (see ReadBytes.pending). */
export const notYetRead = (read: ReadBytes, offset: number, length: number): boolean => read.pending?.(offset, length) === true;

/** Where a filesystem may sit: a partition, or the whole disk. */
export interface Volume {
  start: number;
  length: number;
  /** "whole disk", "mbr 1", "gpt 2 (Linux filesystem)", "bsd a"... for messages. */
  label: string;
}

export interface UsedSpace {
  /** "ufs1", "ufs2", "ext2", "ext3", "ext4", "fat12", "fat16", "fat32", "ntfs", "exfat". */
  filesystem: string;
  volume: Volume;
  /** The allocation unit (block, fragment, cluster) in bytes. */
  unit: number;
  /** What a repair or a mount needs first: superblocks, group descriptors, bitmaps, inode tables,
   *  FATs, the MFT, root directories. Sorted, non-overlapping, merged. */
  metadata: ByteRange[];
  /** The part of `metadata` a rescue reads before any file (`rescue --used-first`'s stage 1);
   *  absent = all of it. ext leaves out the inode-table tails the descriptors call never used
   *  and a journal with nothing to replay: on a large disk those are gigabytes of zeros and
   *  old transactions, and they are still rescued, with the used data. */
  first?: ByteRange[];
  /** Allocated file data (and any metadata not listed above). Sorted, non-overlapping, merged;
   *  may overlap `metadata`. */
  used: ByteRange[];
  /** Bytes of `volume` the parser could not classify because their metadata was unreadable. */
  unknown: ByteRange[];
}

/** A filesystem this parser does not accept, or whose metadata is hostile: one line, for the user. */
export class FsMapError extends Error {
  constructor(
    readonly filesystem: string,
    message: string,
  ) {
    super(message);
  }
}

export interface FilesystemParser {
  /** Family name for messages and --json ("ufs", "ext", "fat", "ntfs", "exfat"). */
  readonly name: string;
  /** Cheap check of magic numbers at the volume's start: true if this parser should try. */
  detect(read: ReadBytes, volume: Volume): boolean;
  /** The used space; throws FsMapError for hostile or unsupported metadata. Bounded in time and
   *  memory by the volume's size, whatever the metadata claims. */
  usedSpace(read: ReadBytes, volume: Volume): UsedSpace;
}
