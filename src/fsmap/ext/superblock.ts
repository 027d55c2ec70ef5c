// The ext2/3/4 superblock: the fields the used-space map needs, checked against each other
// and against the volume, so that every later loop is bounded by the volume's real size.
// Layout facts: the superblock is 1024 bytes at byte 1024 of the filesystem, little-endian.
import { FsMapError, notYetRead, type ReadBytes, type Volume } from "../types.ts";

export const superblockOffset = 1024;
const magic = 0xef53;

// Feature bits this parser looks at (compat / incompat / ro_compat words of the superblock).
export const compat = { hasJournal: 0x4, sparseSuper2: 0x200 } as const;
export const incompat = { recover: 0x4, journalDev: 0x8, metaBg: 0x10, extents: 0x40, bit64: 0x80, flexBg: 0x200, csumSeed: 0x2000 } as const;
export const roCompat = { sparseSuper: 0x1, gdtCsum: 0x10, bigalloc: 0x200, metadataCsum: 0x400 } as const;

export interface ExtSuperblock {
  blocksCount: number;
  firstDataBlock: number;
  blockSize: number;
  /** Blocks per allocation cluster: 1 unless bigalloc. */
  clusterRatio: number;
  blocksPerGroup: number;
  clustersPerGroup: number;
  inodesPerGroup: number;
  inodeSize: number;
  groupCount: number;
  descSize: number;
  reservedGdtBlocks: number;
  firstMetaBg: number;
  journalInode: number;
  /** Groups holding sparse_super2 backups (0 = none). */
  backupGroups: [number, number];
  /** For descriptor checksums: the filesystem UUID and the stored metadata_csum seed. */
  uuid: Uint8Array;
  checksumSeed: number;
  compat: number;
  incompat: number;
  roCompat: number;
  /** "ext2", "ext3" or "ext4", the way the kernel and blkid tell them apart. */
  flavour: "ext2" | "ext3" | "ext4";
}

const hasMagic = (b: Uint8Array | null) => b !== null && (b[0x38]! | (b[0x39]! << 8)) === magic;

/**
 * The superblock's bytes: the primary copy, or, when its sector is unreadable (a bad spot at
 * the partition's start), the copy in group 1 where mke2fs puts it by default (groups of
 * 8 x block size blocks), as e2fsck guesses it. A backup counts only if it says it is group 1
 * of a filesystem with that block size and group size.
 */
export function superblockBytes(read: ReadBytes, volume: Volume): Uint8Array | null {
  if (volume.length < superblockOffset * 2) return null;
  const primary = read(volume.start + superblockOffset, 1024);
  if (primary) return primary;
  if (notYetRead(read, volume.start + superblockOffset, 1024)) return null;
  for (let log = 0; log <= 2; log++) {
    const blockSize = 1024 << log;
    const at = (blockSize === 1024 ? 1 : 0) + 8 * blockSize;
    if ((at + 1) * blockSize > volume.length) continue;
    const b = read(volume.start + at * blockSize, 1024);
    if (!hasMagic(b)) continue;
    const v = new DataView(b!.buffer, b!.byteOffset, 1024);
    if (v.getUint16(0x5a, true) === 1 && v.getUint32(0x18, true) === log && v.getUint32(0x20, true) === 8 * blockSize) return b;
  }
  return null;
}

/** True when the superblock (or its first backup) carries the ext magic. */
export function looksLikeExt(read: ReadBytes, volume: Volume): boolean {
  return hasMagic(superblockBytes(read, volume));
}

const fail = (msg: string): never => {
  throw new FsMapError("ext", msg);
};

export function decodeSuperblock(read: ReadBytes, volume: Volume): ExtSuperblock {
  const b = superblockBytes(read, volume);
  if (!b) fail("ext superblock unreadable, and no backup in group 1");
  const v = new DataView(b!.buffer, b!.byteOffset, 1024);
  const u32 = (o: number) => v.getUint32(o, true);
  const u16 = (o: number) => v.getUint16(o, true);
  if (u16(0x38) !== magic) fail("not an ext2/3/4 filesystem (no 0xEF53 magic)");

  const features = { compat: u32(0x5c), incompat: u32(0x60), roCompat: u32(0x64) };
  const revLevel = u32(0x4c);
  if (revLevel > 1) fail(`ext superblock: unknown revision ${revLevel}`);
  // Revision 0 has no feature words and fixed 128-byte inodes.
  if (revLevel === 0) Object.assign(features, { compat: 0, incompat: 0, roCompat: 0 });
  if (features.incompat & incompat.journalDev) fail("ext external journal device: it holds no files");
  const bit64 = (features.incompat & incompat.bit64) !== 0;

  const logBlock = u32(0x18);
  if (logBlock > 6) fail(`ext superblock: absurd block size 2^${10 + logBlock}`);
  const blockSize = 1024 << logBlock;
  const bigalloc = (features.roCompat & roCompat.bigalloc) !== 0;
  const logCluster = u32(0x1c);
  if (bigalloc && (logCluster < logBlock || logCluster > logBlock + 16)) fail(`ext superblock: absurd cluster size 2^${10 + logCluster}`);
  const clusterRatio = bigalloc ? 1 << (logCluster - logBlock) : 1;

  const blocksCount = u32(0x4) + (bit64 ? u32(0x150) * 2 ** 32 : 0);
  const firstDataBlock = u32(0x14);
  const blocksPerGroup = u32(0x20);
  const clustersPerGroup = bigalloc ? u32(0x24) : blocksPerGroup;
  const inodesPerGroup = u32(0x28);
  const inodeSize = revLevel === 0 ? 128 : u16(0x58);
  const bitsPerBitmap = blockSize * 8;

  if (firstDataBlock !== (blockSize === 1024 && !bigalloc ? 1 : 0)) fail(`ext superblock: first data block ${firstDataBlock} does not fit block size ${blockSize}`);
  // mke2fs makes groups of at least 256 blocks; smaller ones would only multiply the work.
  if (clustersPerGroup > bitsPerBitmap || clustersPerGroup % 8 || blocksPerGroup < 256) fail(`ext superblock: absurd ${clustersPerGroup} clusters per group`);
  if (bigalloc && blocksPerGroup !== clustersPerGroup * clusterRatio) fail(`ext superblock: ${blocksPerGroup} blocks per group is not ${clustersPerGroup} clusters of ${clusterRatio}`);
  if (inodesPerGroup < 1 || inodesPerGroup > bitsPerBitmap) fail(`ext superblock: absurd ${inodesPerGroup} inodes per group`);
  if (inodeSize < 128 || inodeSize > blockSize || (inodeSize & (inodeSize - 1))) fail(`ext superblock: absurd inode size ${inodeSize}`);
  if (blocksCount <= firstDataBlock) fail(`ext superblock: absurd block count ${blocksCount}`);
  const fsBytes = blocksCount * blockSize;
  if (fsBytes > volume.length) fail(`ext filesystem claims ${blocksCount} blocks of ${blockSize} bytes but ${volume.label} has ${volume.length} bytes`);

  const groupCount = Math.ceil((blocksCount - firstDataBlock) / blocksPerGroup);
  const inodesCount = u32(0x0);
  if (inodesCount !== groupCount * inodesPerGroup) fail(`ext superblock: ${inodesCount} inodes is not ${groupCount} groups of ${inodesPerGroup}`);

  let descSize = 32;
  if (bit64) {
    descSize = u16(0xfe);
    if (descSize < 64 || descSize > 1024 || (descSize & (descSize - 1))) fail(`ext superblock: absurd group descriptor size ${descSize}`);
  }
  const reservedGdtBlocks = revLevel === 0 ? 0 : u16(0xce);
  if (reservedGdtBlocks > blockSize / 4) fail(`ext superblock: absurd ${reservedGdtBlocks} reserved GDT blocks`);
  const descPerBlock = blockSize / descSize;
  const firstMetaBg = u32(0x104);
  if (features.incompat & incompat.metaBg && firstMetaBg > Math.ceil(groupCount / descPerBlock)) fail(`ext superblock: first meta_bg ${firstMetaBg} beyond the descriptor blocks`);

  const hasJournal = (features.compat & compat.hasJournal) !== 0;
  const backupGroups: [number, number] = [u32(0x24c), u32(0x250)];
  const ext4Only = incompat.extents | incompat.bit64 | incompat.flexBg;
  const flavour = features.incompat & ext4Only || features.roCompat & (roCompat.gdtCsum | roCompat.metadataCsum | roCompat.bigalloc) ? "ext4" : hasJournal ? "ext3" : "ext2";
  return {
    blocksCount,
    firstDataBlock,
    blockSize,
    clusterRatio,
    blocksPerGroup,
    clustersPerGroup,
    inodesPerGroup,
    inodeSize,
    groupCount,
    descSize,
    reservedGdtBlocks,
    firstMetaBg,
    journalInode: hasJournal ? u32(0xe0) : 0,
    backupGroups,
    uuid: b!.slice(0x68, 0x78),
    checksumSeed: u32(0x270),
    ...features,
    flavour,
  };
}
