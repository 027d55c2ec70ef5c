// Where ext puts its fixed metadata in each block group: the superblock copy, the group
// descriptor table (or, with meta_bg, one descriptor block per meta group) and the blocks
// reserved for growing that table. These places follow from the superblock alone, so they
// are known even when a group's bitmap is unreadable or was never initialised.
import { compat, incompat, roCompat, type ExtSuperblock } from "./superblock.ts";

/** First block of group `g`. */
export const groupFirstBlock = (sb: ExtSuperblock, g: number) => sb.firstDataBlock + g * sb.blocksPerGroup;

/** One past the last block of group `g` (the last group may be short). */
export const groupEndBlock = (sb: ExtSuperblock, g: number) => Math.min(groupFirstBlock(sb, g + 1), sb.blocksCount);

export const descriptorsPerBlock = (sb: ExtSuperblock) => sb.blockSize / sb.descSize;

/** Blocks the whole descriptor table would take. */
export const descriptorBlocks = (sb: ExtSuperblock) => Math.ceil(sb.groupCount / descriptorsPerBlock(sb));

const isPowerOf = (n: number, base: number) => {
  while (n > 1 && n % base === 0) n /= base;
  return n === 1;
};

/** Does group `g` hold a copy of the superblock? (sparse_super: groups 0, 1 and powers of 3, 5, 7;
 *  sparse_super2: group 0 and the at most two groups the superblock names.) */
export function hasSuperblock(sb: ExtSuperblock, g: number): boolean {
  if (g === 0) return true;
  if (sb.compat & compat.sparseSuper2) return g === sb.backupGroups[0] || g === sb.backupGroups[1];
  if (g === 1 || !(sb.roCompat & roCompat.sparseSuper)) return true;
  return g % 2 === 1 && (isPowerOf(g, 3) || isPowerOf(g, 5) || isPowerOf(g, 7));
}

const metaBg = (sb: ExtSuperblock) => (sb.incompat & incompat.metaBg) !== 0;

/** Descriptor blocks kept in the classic place (right after each superblock copy). */
const classicDescriptorBlocks = (sb: ExtSuperblock) => (metaBg(sb) ? sb.firstMetaBg : descriptorBlocks(sb));

/** The fixed metadata of group `g` as half-open block ranges: superblock copy, descriptor
 *  blocks and reserved GDT blocks (clipped to the group). */
export function groupBaseMetadata(sb: ExtSuperblock, g: number): Array<[number, number]> {
  const first = groupFirstBlock(sb, g);
  const end = groupEndBlock(sb, g);
  const out: Array<[number, number]> = [];
  const withSuper = hasSuperblock(sb, g);
  // With 1 KiB blocks and bigalloc, group 0 starts at block 0 but the superblock is block 1.
  const sbBlock = first === 0 && sb.blockSize === 1024 ? 1 : first;
  if (withSuper) out.push([sbBlock, sbBlock + 1 + classicDescriptorBlocks(sb) + (metaBg(sb) ? 0 : sb.reservedGdtBlocks)]);
  if (metaBg(sb)) {
    const perMeta = descriptorsPerBlock(sb);
    const meta = Math.floor(g / perMeta);
    const pos = g % perMeta;
    if (meta >= sb.firstMetaBg && (pos === 0 || pos === 1 || pos === perMeta - 1)) {
      const at = (withSuper ? sbBlock + 1 : first);
      out.push([at, at + 1]);
    }
  }
  return out.map(([s, e]) => [s, Math.min(e, end)] as [number, number]).filter(([s, e]) => e > s);
}

/** Where descriptor block `i` can be read: the primary copy first, then the backups. */
export function descriptorBlockCopies(sb: ExtSuperblock, i: number): number[] {
  const perMeta = descriptorsPerBlock(sb);
  const copyIn = (g: number) => (g === 0 && sb.blockSize === 1024 ? 1 : groupFirstBlock(sb, g)) + (hasSuperblock(sb, g) ? 1 : 0);
  if (metaBg(sb) && i >= sb.firstMetaBg) {
    const g0 = i * perMeta;
    return [g0, g0 + 1, g0 + perMeta - 1].filter((g) => g < sb.groupCount).map(copyIn);
  }
  return superblockGroups(sb).map((g) => copyIn(g) + i);
}

/** The first few groups holding a superblock copy (and so a classic descriptor table copy):
 *  enough spares for a disk with a bad spot, found without walking every group. */
function superblockGroups(sb: ExtSuperblock): number[] {
  if (sb.compat & compat.sparseSuper2) return [0, ...sb.backupGroups.filter((g) => g > 0 && g < sb.groupCount)];
  const out: number[] = [];
  for (let g = 0; g < sb.groupCount && out.length < 4; g++) if (hasSuperblock(sb, g)) out.push(g);
  return out;
}
