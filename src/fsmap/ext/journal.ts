// The blocks of the internal journal (inode 8 by default). The bitmaps already count them as
// used; they are listed as metadata too because a mount or e2fsck replays the journal before
// anything else, so after a crash the newest metadata may live only there.
// Best effort: an unreadable or implausible inode or tree node just leaves blocks unlisted.
import type { ReadBytes, Volume } from "../types.ts";
import type { DescriptorReader } from "./descriptors.ts";
import type { ExtSuperblock } from "./superblock.ts";

const extentsFlag = 0x80000;
const extentMagic = 0xf30a;
const maxTreeDepth = 5;
/** Tree or indirect blocks read at most: far above any real journal, and a bound on hostile ones. */
const maxNodeReads = 4096;

/** Half-open block ranges of the journal, its mapping blocks included. */
export function journalBlocks(sb: ExtSuperblock, descriptors: DescriptorReader, read: ReadBytes, volume: Volume): Array<[number, number]> {
  const ino = sb.journalInode;
  if (ino < 1 || ino > sb.groupCount * sb.inodesPerGroup) return [];
  const desc = descriptors.get(Math.floor((ino - 1) / sb.inodesPerGroup));
  if (!desc) return [];
  const inode = read(volume.start + desc.inodeTable * sb.blockSize + ((ino - 1) % sb.inodesPerGroup) * sb.inodeSize, 128);
  if (!inode) return [];
  const v = new DataView(inode.buffer, inode.byteOffset, 128);
  if ((v.getUint16(0, true) & 0xf000) !== 0x8000) return [];
  const size = v.getUint32(4, true) + v.getUint32(0x6c, true) * 2 ** 32;
  const logicalBlocks = Math.min(Math.ceil(size / sb.blockSize), sb.blocksCount);
  const walker = new Walker(sb, read, volume, logicalBlocks);
  const iblock = inode.subarray(0x28, 0x28 + 60);
  if (v.getUint32(0x20, true) & extentsFlag) walker.extentNode(iblock, maxTreeDepth + 1);
  else walker.blockMap(iblock);
  return walker.out;
}

class Walker {
  readonly out: Array<[number, number]> = [];
  private reads = 0;
  private mapped = 0;

  constructor(
    private readonly sb: ExtSuperblock,
    private readonly read: ReadBytes,
    private readonly volume: Volume,
    private readonly logicalBlocks: number,
  ) {}

  private take(start: number, count: number): boolean {
    if (count < 1 || start < this.sb.firstDataBlock || start + count > this.sb.blocksCount) return false;
    // A block-mapped journal is mostly consecutive blocks: grow the last range.
    const last = this.out.at(-1);
    if (last && last[1] === start) last[1] = start + count;
    else this.out.push([start, start + count]);
    return true;
  }

  /** Reads a mapping block (and lists it), or null. */
  private node(block: number): Uint8Array | null {
    if (this.reads >= maxNodeReads || !this.take(block, 1)) return null;
    this.reads++;
    return this.read(this.volume.start + block * this.sb.blockSize, this.sb.blockSize);
  }

  /** An extent tree node: 12-byte header, then 12-byte entries; depth 0 holds extents. */
  extentNode(bytes: Uint8Array, depthAbove: number): void {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    if (bytes.length < 12 || v.getUint16(0, true) !== extentMagic) return;
    const entries = v.getUint16(2, true);
    const depth = v.getUint16(6, true);
    if (depth >= depthAbove || 12 + entries * 12 > bytes.length) return;
    for (let i = 0; i < entries; i++) {
      const e = 12 + i * 12;
      if (depth === 0) {
        const raw = v.getUint16(e + 4, true);
        // Lengths above 32768 mark preallocated (unwritten) extents of raw - 32768 blocks.
        const len = raw > 32768 ? raw - 32768 : raw;
        this.take(v.getUint16(e + 6, true) * 2 ** 32 + v.getUint32(e + 8, true), len);
      } else {
        const child = this.node(v.getUint32(e + 4, true) + v.getUint16(e + 8, true) * 2 ** 32);
        if (child) this.extentNode(child, depth);
      }
    }
  }

  /** The classic map: 12 direct pointers, then single, double and triple indirect blocks. */
  blockMap(iblock: Uint8Array): void {
    const v = new DataView(iblock.buffer, iblock.byteOffset, 60);
    for (let i = 0; i < 15 && this.mapped < this.logicalBlocks; i++) {
      const ptr = v.getUint32(i * 4, true);
      if (i < 12) this.pointer(ptr, 0);
      else this.pointer(ptr, i - 11);
    }
  }

  private pointer(ptr: number, level: number): void {
    const perBlock = this.sb.blockSize / 4;
    if (ptr === 0) {
      this.mapped += perBlock ** level;
      return;
    }
    if (level === 0) {
      this.mapped++;
      this.take(ptr, 1);
      return;
    }
    const bytes = this.node(ptr);
    if (!bytes) {
      this.mapped += perBlock ** level;
      return;
    }
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let i = 0; i < perBlock && this.mapped < this.logicalBlocks; i++) this.pointer(v.getUint32(i * 4, true), level - 1);
  }
}
