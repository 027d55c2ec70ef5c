// Group descriptors: where each group's block bitmap, inode bitmap and inode table are, and its
// flags. 32 bytes each, or s_desc_size (64) with the 64bit feature, whose upper halves sit at
// +0x20. A descriptor block that cannot be read is taken from a backup copy; a descriptor whose
// places fall outside the filesystem is not trusted (its group's contents become unknown).
import type { ReadBytes, Volume } from "../types.ts";
import { descriptorBlockCopies, descriptorsPerBlock } from "./layout.ts";
import { incompat, type ExtSuperblock } from "./superblock.ts";

export const groupFlags = { inodeUninit: 0x1, blockUninit: 0x2 } as const;

export interface GroupDescriptor {
  blockBitmap: number;
  inodeBitmap: number;
  inodeTable: number;
  flags: number;
  /** Read from a backup copy: its flags may be as old as mkfs (BLOCK_UNINIT long since cleared). */
  fromBackup: boolean;
}

/** Blocks an inode table takes. */
export const inodeTableBlocks = (sb: ExtSuperblock) => Math.ceil((sb.inodesPerGroup * sb.inodeSize) / sb.blockSize);

/**
 * Descriptors in group order, reading one descriptor block at a time (so memory does not grow
 * with the group count). `get(g)` is null when no copy of the block is readable or the
 * descriptor points outside the filesystem.
 */
export class DescriptorReader {
  private cachedIndex = -1;
  private cached: { bytes: Uint8Array; fromBackup: boolean } | null = null;

  constructor(
    private readonly sb: ExtSuperblock,
    private readonly read: ReadBytes,
    private readonly volume: Volume,
  ) {}

  private block(i: number): { bytes: Uint8Array; fromBackup: boolean } | null {
    if (i === this.cachedIndex) return this.cached;
    this.cachedIndex = i;
    this.cached = null;
    const copies = descriptorBlockCopies(this.sb, i);
    for (let c = 0; c < copies.length && !this.cached; c++) {
      const at = copies[c]!;
      if (at >= this.sb.blocksCount) continue;
      const bytes = this.read(this.volume.start + at * this.sb.blockSize, this.sb.blockSize);
      if (bytes) this.cached = { bytes, fromBackup: c > 0 };
    }
    return this.cached;
  }

  get(g: number): GroupDescriptor | null {
    const sb = this.sb;
    const perBlock = descriptorsPerBlock(sb);
    const blk = this.block(Math.floor(g / perBlock));
    if (!blk) return null;
    const off = (g % perBlock) * sb.descSize;
    const v = new DataView(blk.bytes.buffer, blk.bytes.byteOffset + off, sb.descSize);
    const wide = (sb.incompat & incompat.bit64) !== 0;
    const addr = (lo: number) => v.getUint32(lo, true) + (wide ? v.getUint32(lo + 0x20, true) * 2 ** 32 : 0);
    const d: GroupDescriptor = { blockBitmap: addr(0x0), inodeBitmap: addr(0x4), inodeTable: addr(0x8), flags: v.getUint16(0x12, true), fromBackup: blk.fromBackup };
    const inside = (b: number, n: number) => b >= sb.firstDataBlock && b + n <= sb.blocksCount;
    if (!inside(d.blockBitmap, 1) || !inside(d.inodeBitmap, 1) || !inside(d.inodeTable, inodeTableBlocks(sb))) return null;
    return d;
  }
}
