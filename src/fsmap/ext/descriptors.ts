// Group descriptors: where each group's block bitmap, inode bitmap and inode table are, and its
// flags. 32 bytes each, or s_desc_size (64) with the 64bit feature, whose upper halves sit at
// +0x20. A descriptor that cannot be read, fails its checksum or points outside the filesystem
// is taken from a backup copy; with no sound copy its group's contents become unknown.
import { notYetRead, type ReadBytes, type Volume } from "../types.ts";
import { descriptorChecksumOk, checksumSeed } from "./checksums.ts";
import { descriptorBlockCopies, descriptorsPerBlock, groupBaseMetadata } from "./layout.ts";
import { incompat, type ExtSuperblock } from "./superblock.ts";

// BLOCK_UNINIT: the group's block bitmap was never written. INODE_UNINIT: no inode of the group
// was ever used (its table stays allocated in the block bitmap, so the used space is the same;
// only what a rescue reads first changes, as does `itableUnused`).
export const groupFlags = { inodeUninit: 0x1, blockUninit: 0x2 } as const;

export interface GroupDescriptor {
  blockBitmap: number;
  inodeBitmap: number;
  inodeTable: number;
  flags: number;
  /** bg_itable_unused: inodes at the end of the table never used (meaningful only when a
   *  checksum feature guards the descriptor, as the kernel and e2fsck take it). */
  itableUnused: number;
  /** Read from a backup copy: its flags may be as old as mkfs (BLOCK_UNINIT long since cleared). */
  fromBackup: boolean;
}

/** Blocks an inode table takes. */
export const inodeTableBlocks = (sb: ExtSuperblock) => Math.ceil((sb.inodesPerGroup * sb.inodeSize) / sb.blockSize);

/**
 * Descriptors in group order, reading one descriptor block at a time (so memory does not grow
 * with the group count). `get(g)` takes the first copy whose descriptor is sound (checksum
 * holds, places inside the filesystem and past the primary superblock and table), or null.
 */
export class DescriptorReader {
  private blockIndex = -1;
  private copies = new Map<number, Uint8Array | null>();
  private readonly seed: number;
  /** No bitmap or table can sit below this block: the primary superblock and descriptors are there. */
  private readonly lowest: number;

  constructor(
    private readonly sb: ExtSuperblock,
    private readonly read: ReadBytes,
    private readonly volume: Volume,
  ) {
    this.seed = checksumSeed(sb);
    this.lowest = Math.max(...groupBaseMetadata(sb, 0).map(([, end]) => end), sb.firstDataBlock);
  }

  /** Copy `c` of descriptor block `i` (0 = primary), read once while the walk is in that block. */
  private copy(i: number, c: number, at: number): Uint8Array | null {
    if (i !== this.blockIndex) (this.blockIndex = i), this.copies.clear();
    if (!this.copies.has(c)) this.copies.set(c, at < this.sb.blocksCount ? this.read(this.volume.start + at * this.sb.blockSize, this.sb.blockSize) : null);
    return this.copies.get(c)!;
  }

  get(g: number): GroupDescriptor | null {
    const sb = this.sb;
    const perBlock = descriptorsPerBlock(sb);
    const i = Math.floor(g / perBlock);
    const places = descriptorBlockCopies(sb, i);
    for (let c = 0; c < places.length; c++) {
      const bytes = this.copy(i, c, places[c]!);
      // The primary block is not rescued yet: wait for it rather than read a backup.
      if (!bytes && c === 0 && notYetRead(this.read, this.volume.start + places[0]! * sb.blockSize, sb.blockSize)) return null;
      if (!bytes) continue;
      const desc = bytes.subarray((g % perBlock) * sb.descSize, (g % perBlock + 1) * sb.descSize);
      const d = this.decode(g, desc, c > 0);
      if (d) return d;
    }
    return null;
  }

  private decode(g: number, desc: Uint8Array, fromBackup: boolean): GroupDescriptor | null {
    const sb = this.sb;
    if (!descriptorChecksumOk(sb, this.seed, g, desc)) return null;
    const v = new DataView(desc.buffer, desc.byteOffset, sb.descSize);
    const wide = (sb.incompat & incompat.bit64) !== 0;
    const addr = (lo: number) => v.getUint32(lo, true) + (wide ? v.getUint32(lo + 0x20, true) * 2 ** 32 : 0);
    const itableUnused = v.getUint16(0x1c, true) + (wide ? v.getUint16(0x32, true) * 65536 : 0);
    const d: GroupDescriptor = { blockBitmap: addr(0x0), inodeBitmap: addr(0x4), inodeTable: addr(0x8), flags: v.getUint16(0x12, true), itableUnused, fromBackup };
    const inside = (b: number, n: number) => b >= this.lowest && b + n <= sb.blocksCount;
    if (!inside(d.blockBitmap, 1) || !inside(d.inodeBitmap, 1) || !inside(d.inodeTable, inodeTableBlocks(sb))) return null;
    return d;
  }
}
