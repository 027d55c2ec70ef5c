// The used-space map of an ext2/3/4 filesystem, assembled in two passes over the groups:
//  1. metadata: every group's fixed metadata (superblock copy, descriptors, reserved GDT
//     blocks), the bitmaps and inode tables the descriptors point at (with flex_bg these sit in
//     other groups), and the journal; and the part of it a rescue reads first (`first`): the
//     primary superblock and descriptor blocks (what the kernel and e2fsprogs open), bitmaps,
//     inode tables but their never-used tails, and a journal only when it needs replaying;
//  2. used: each group's block bitmap, read one group at a time. A BLOCK_UNINIT group has no
//     bitmap on disk: what it uses is exactly the metadata inside it, which pass 1 knows.
// A group whose descriptor or bitmap cannot be read is unknown, except the metadata inside it.
import type { ReadBytes, UsedSpace, Volume } from "../types.ts";
import { DescriptorReader, groupFlags, inodeTableBlocks, type GroupDescriptor } from "./descriptors.ts";
import { journalBlocks } from "./journal.ts";
import { descriptorBlockCopies, descriptorBlocks, groupBaseMetadata, groupEndBlock, groupFirstBlock } from "./layout.ts";
import { RangeCursor, UnitRanges } from "./ranges.ts";
import { decodeSuperblock, incompat, roCompat, type ExtSuperblock } from "./superblock.ts";

export function extUsedSpace(read: ReadBytes, volume: Volume): UsedSpace {
  const sb = decodeSuperblock(read, volume);
  const { metadata, first } = collectMetadata(sb, read, volume);
  const used = new UnitRanges();
  const unknown = new UnitRanges();
  // Blocks before the first group (the boot block, with 1 KiB blocks) belong to no bitmap.
  used.add(0, sb.firstDataBlock);
  const inMetadata = new RangeCursor(metadata);
  const descriptors = new DescriptorReader(sb, read, volume);
  const trusted = flagsTrusted(sb);
  for (let g = 0; g < sb.groupCount; g++) {
    const first = groupFirstBlock(sb, g);
    const end = groupEndBlock(sb, g);
    const ownMetadata = inMetadata.within(first, end);
    const desc = descriptors.get(g);
    const uninit = desc !== null && trusted && (desc.flags & groupFlags.blockUninit) !== 0;
    const bits = desc && !uninit ? readBitmap(sb, desc, read, volume) : null;
    if (bits) {
      addBitmap(sb, g, bits, used);
      continue;
    }
    // No bitmap to go by: the metadata inside the group is used (whole clusters, with
    // bigalloc). The rest is free if the group is BLOCK_UNINIT, else unknown; so is it when
    // the flag comes from a backup table, which may be as old as mkfs (the group has data now).
    const inUse = ownMetadata.map(([s, e]) => [roundDown(s, sb), Math.min(roundUp(e, sb), end)] as [number, number]);
    for (const [s, e] of inUse) used.add(s, e);
    const free = uninit && !desc!.fromBackup;
    if (!free) addGaps(unknown, first, end, inUse);
  }
  const unit = sb.blockSize * sb.clusterRatio;
  return {
    filesystem: sb.flavour,
    volume,
    unit,
    metadata: metadata.toBytes(volume.start, sb.blockSize),
    first: first.toBytes(volume.start, sb.blockSize),
    used: used.toBytes(volume.start, sb.blockSize),
    unknown: unknown.toBytes(volume.start, sb.blockSize),
  };
}

/** The descriptor flags and itable_unused mean something only when a checksum feature guards
 *  them (as e2fsprogs and the kernel decide). */
const flagsTrusted = (sb: ExtSuperblock) => (sb.roCompat & (roCompat.gdtCsum | roCompat.metadataCsum)) !== 0;

function collectMetadata(sb: ExtSuperblock, read: ReadBytes, volume: Volume): { metadata: UnitRanges; first: UnitRanges } {
  const found: Array<[number, number]> = [];
  const first: Array<[number, number]> = [];
  const descriptors = new DescriptorReader(sb, read, volume);
  const tableBlocks = inodeTableBlocks(sb);
  // Of the fixed metadata, only the copies the filesystem is opened with come first. Backup
  // superblocks and descriptor tables, and the blocks reserved for growing the table, matter
  // only when a primary copy is unreadable, and then the parse itself reads the backup it
  // needs (stage 1 rescues whatever the parse asks for). Read first, they cost a seek each,
  // and a failed read or two each where one sits in a bad area.
  const superblockAt = sb.firstDataBlock === 0 && sb.blockSize === 1024 ? 1 : sb.firstDataBlock;
  first.push([superblockAt, superblockAt + 1]);
  for (let i = 0; i < descriptorBlocks(sb); i++) {
    const primary = descriptorBlockCopies(sb, i)[0]!;
    first.push([primary, primary + 1]);
  }
  for (let g = 0; g < sb.groupCount; g++) {
    found.push(...groupBaseMetadata(sb, g));
    const d = descriptors.get(g);
    if (!d) continue;
    const bitmaps: Array<[number, number]> = [[d.blockBitmap, d.blockBitmap + 1], [d.inodeBitmap, d.inodeBitmap + 1]];
    found.push(...bitmaps);
    first.push(...bitmaps);
    // The whole table, used inodes or not: itable_unused is only a hint, and e2fsck reads it all.
    found.push([d.inodeTable, d.inodeTable + tableBlocks]);
    first.push([d.inodeTable, d.inodeTable + usedTableBlocks(sb, d, tableBlocks)]);
  }
  const journal = journalBlocks(sb, descriptors, read, volume);
  found.push(...journal);
  // A journal needs replaying only while the superblock says so (RECOVER); otherwise it holds
  // old transactions nobody reads, and it is rescued with the used data.
  if (sb.incompat & incompat.recover) first.push(...journal);
  return { metadata: UnitRanges.fromUnsorted(found), first: UnitRanges.fromUnsorted(first) };
}

/** Inode-table blocks holding inodes ever used: all of them unless the descriptor is guarded by a
 *  checksum and read from the primary table (a backup's counts may be as old as mkfs); then
 *  none for INODE_UNINIT, else the blocks before the itable_unused tail (the kernel's count). */
function usedTableBlocks(sb: ExtSuperblock, d: GroupDescriptor, tableBlocks: number): number {
  if (!flagsTrusted(sb) || d.fromBackup) return tableBlocks;
  if (d.flags & groupFlags.inodeUninit) return 0;
  const usedInodes = sb.inodesPerGroup - Math.min(d.itableUnused, sb.inodesPerGroup);
  return Math.min(tableBlocks, Math.ceil((usedInodes * sb.inodeSize) / sb.blockSize));
}

/** The group's block (or, with bigalloc, cluster) bitmap, or null when unreadable. */
function readBitmap(sb: ExtSuperblock, d: GroupDescriptor, read: ReadBytes, volume: Volume): Uint8Array | null {
  return read(volume.start + d.blockBitmap * sb.blockSize, Math.ceil(sb.clustersPerGroup / 8));
}

/** Marks the group's set bits as used blocks, skipping whole words of 0s or 1s at once (a
 *  16 TiB filesystem has 2^32 bits to look at). */
function addBitmap(sb: ExtSuperblock, g: number, bits: Uint8Array, used: UnitRanges): void {
  const first = groupFirstBlock(sb, g);
  const end = groupEndBlock(sb, g);
  const r = sb.clusterRatio;
  // The last group's bitmap is padded with set bits past the end of the filesystem.
  const clusters = Math.min(sb.clustersPerGroup, Math.ceil((end - first) / r));
  const mark = (c0: number, c1: number) => used.add(first + c0 * r, Math.min(first + c1 * r, end));
  // Empty and full groups are common: one native comparison each settles them.
  const bytes = clusters >> 3;
  if (isFilled(bits, bytes, 0) && clusters % 8 === 0) return;
  if (isFilled(bits, bytes, 0xff) && clusters % 8 === 0) return mark(0, clusters);
  const words = new DataView(bits.buffer, bits.byteOffset, bits.length);
  let runStart = -1;
  for (let c = 0; c < clusters; ) {
    if ((c & 31) === 0 && c + 32 <= clusters) {
      const word = words.getUint32(c >> 3, true);
      if (word === 0 || word === 0xffffffff) {
        if (word !== 0 && runStart < 0) runStart = c;
        if (word === 0 && runStart >= 0) (mark(runStart, c), (runStart = -1));
        c += 32;
        continue;
      }
    }
    const set = (bits[c >> 3]! >> (c & 7)) & 1;
    if (set && runStart < 0) runStart = c;
    if (!set && runStart >= 0) (mark(runStart, c), (runStart = -1));
    c++;
  }
  if (runStart >= 0) mark(runStart, clusters);
}

const filled = new Map<number, Buffer>();
/** Are the first `n` bytes of `bits` all `value`? */
function isFilled(bits: Uint8Array, n: number, value: 0 | 0xff): boolean {
  const key = n * 2 + (value ? 1 : 0);
  let ref = filled.get(key);
  if (!ref) filled.set(key, (ref = Buffer.alloc(n, value)));
  return Buffer.compare(bits.subarray(0, n), ref) === 0;
}

/** Block numbers moved to a cluster boundary (bigalloc allocates whole clusters). */
const roundDown = (b: number, sb: ExtSuperblock) => b - (b % sb.clusterRatio);
const roundUp = (b: number, sb: ExtSuperblock) => roundDown(b + sb.clusterRatio - 1, sb);

/** Adds [first, end) minus the sorted `holes` to `to`. */
function addGaps(to: UnitRanges, first: number, end: number, holes: Array<[number, number]>): void {
  let at = first;
  for (const [s, e] of holes) {
    to.add(at, s);
    at = Math.max(at, e);
  }
  to.add(at, end);
}

