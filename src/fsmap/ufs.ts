// UFS1/UFS2 used space, from the FFS decoders salvage already has (src/ffs): the
// superblock gives the geometry, each cylinder group's free-fragment bitmap (the same
// walk as getfree's, freeRuns) says which fragments are allocated. Metadata is what a
// repair needs first: the boot area and primary superblock, the summary area, and in
// every group its backup superblock, header and inode blocks (cgsblock..cgdmin).
import { CylinderGroupReader, freeRuns } from "../ffs/cylinder-group.ts";
import { FfsError } from "../ffs/errors.ts";
import { cgbase, cgdmin, cgLength, cgsblock, groupsInImage } from "../ffs/geometry.ts";
import { findSuperblock, superblockOffsets } from "../ffs/superblock.ts";
import { RangeBuilder, unionRanges } from "./ranges.ts";
import { sourceFromReadBytes } from "./read-source.ts";
import { FsMapError, type FilesystemParser, type ReadBytes, type UsedSpace, type Volume } from "./types.ts";

/** Where the magic sits inside a superblock, and its values (either byte order). */
const MAGIC_AT = 1372;
const magics = new Set([0x00011954, 0x19540119, 0x19012038]);
/** More groups than this is a crafted geometry (a 16 TiB UFS2 has a few tens of thousands). */
const MAX_GROUPS = 1 << 20;

/**
 * The piggy-back superblock place (256 KiB), rarely used: it is tried after every other
 * filesystem's own places (ufsPiggyParser, last in registry.ts). Tried with the others, it
 * was one read more inside every ext, NTFS or FAT volume, and a failed read wherever a bad
 * area covers 256 KiB, before rescue --used-first read any metadata.
 */
const PIGGY = 262144;
const usualOffsets = superblockOffsets.filter((o) => o !== PIGGY);

function magicAt(read: ReadBytes, volume: Volume, offsets: readonly number[]): boolean {
  for (const off of offsets) {
    if (off + MAGIC_AT + 4 > volume.length) continue;
    const b = read(volume.start + off + MAGIC_AT, 4);
    if (!b) continue;
    const v = new DataView(b.buffer, b.byteOffset, 4);
    if (magics.has(v.getUint32(0, true)) || magics.has(v.getUint32(0, false))) return true;
  }
  return false;
}

function usedSpace(read: ReadBytes, volume: Volume): UsedSpace {
  const end = volume.start + volume.length;
  const source = sourceFromReadBytes(read, end);
  let sb;
  try {
    sb = findSuperblock(source, volume.start);
  } catch (e) {
    if (e instanceof FfsError) throw new FsMapError("ufs", e.message);
    throw e;
  }
  const fsize = sb.raw.fsize;
  const at = (frag: number) => volume.start + frag * fsize;
  const fsEnd = Math.min(end, at(sb.size));
  const groups = groupsInImage(sb, end, volume.start);
  if (groups > MAX_GROUPS) throw new FsMapError("ufs", `${sb.raw.ncg} cylinder groups of ${sb.raw.fpg} fragments: not a plausible geometry`);

  const clip = (b: RangeBuilder, from: number, to: number) => {
    const a = Math.max(volume.start, Math.min(from, fsEnd));
    b.add(a, Math.min(to, fsEnd) - a);
  };
  const metadata = new RangeBuilder();
  const used = new RangeBuilder();
  const unknown = new RangeBuilder();
  const cgs = new CylinderGroupReader(source, sb, volume.start);
  for (let c = 0; c < groups; c++) {
    // Group 0's metadata starts at the volume: boot blocks and the primary superblock.
    clip(metadata, c === 0 ? volume.start : at(cgsblock(sb, c)), at(cgdmin(sb, c)));
    const r = cgs.read(c);
    if (!r.ok) {
      // Its map is unknown, but where its metadata lies is geometry: that much is used.
      // The rest of the group is unknown, data before its backup superblock included.
      clip(used, c === 0 ? volume.start : at(cgsblock(sb, c)), at(cgdmin(sb, c)));
      clip(unknown, at(cgbase(sb, c)), at(cgbase(sb, c) + cgLength(sb, c)));
      continue;
    }
    const cg = r.cg;
    let next = cg.base;
    for (const [start, count] of freeRuns(cg.freeMap, cg.length)) {
      clip(used, at(next), at(cg.base + start));
      next = cg.base + start + count;
    }
    clip(used, at(next), at(cg.base + cg.length));
  }
  const summary = new RangeBuilder();
  clip(summary, at(sb.csaddr), at(sb.csaddr) + sb.raw.cssize);
  return {
    filesystem: sb.ufs2 ? "ufs2" : "ufs1",
    volume,
    unit: fsize,
    metadata: unionRanges(metadata.ranges, summary.ranges),
    used: used.ranges,
    unknown: unknown.ranges,
  };
}

export const ufsParser: FilesystemParser = { name: "ufs", detect: (read, volume) => magicAt(read, volume, usualOffsets), usedSpace };

/** A UFS whose only superblock is at the piggy-back place. */
export const ufsPiggyParser: FilesystemParser = {
  name: "ufs",
  detect: (read, volume) => !magicAt(read, volume, usualOffsets) && magicAt(read, volume, [PIGGY]),
  usedSpace,
};
