// Cylinder-group address arithmetic, in fragments, with the BSD macro names
// (cgbase, cgstart, cgtod, cgimin, cgdmin) so the code reads like fs.h.
import type { Superblock } from "./superblock.ts";

export function cgbase(sb: Superblock, c: number): number {
  return sb.raw.fpg * c;
}

/** UFS1 staggers each group's metadata by cgoffset × (c & ~cgmask) (4.2BSD's platter trick);
 *  modern newfs writes cgmask = -1, which makes the shift 0. UFS2 never staggers. */
export function cgstart(sb: Superblock, c: number): number {
  if (sb.ufs2) return cgbase(sb, c);
  return cgbase(sb, c) + sb.raw.cgoffset * ((c & ~sb.raw.cgmask) >>> 0);
}

export const cgsblock = (sb: Superblock, c: number) => cgstart(sb, c) + sb.raw.sblkno;
export const cgtod = (sb: Superblock, c: number) => cgstart(sb, c) + sb.raw.cblkno;
export const cgimin = (sb: Superblock, c: number) => cgstart(sb, c) + sb.raw.iblkno;
export const cgdmin = (sb: Superblock, c: number) => cgstart(sb, c) + sb.raw.dblkno;

/** Fragments that belong to group c: fpg, except for a short last group. */
export function cgLength(sb: Superblock, c: number): number {
  return Math.max(0, Math.min(sb.raw.fpg, sb.size - cgbase(sb, c)));
}

/** Byte offset of fragment f. */
export const fragOffset = (sb: Superblock, f: number) => f * sb.raw.fsize;

/** Where inode n lives: the fragment of its block and its byte offset inside that block. */
export function inodeLocation(sb: Superblock, n: number): { frag: number; byteInBlock: number } {
  const ipg = sb.raw.ipg;
  const inopb = sb.raw.inopb;
  const c = Math.floor(n / ipg);
  const frag = cgimin(sb, c) + Math.floor((n % ipg) / inopb) * sb.raw.frag;
  return { frag, byteInBlock: (n % inopb) * (sb.ufs2 ? 256 : 128) };
}

/**
 * Groups whose first fragment lies inside an image of `bytes` (all when the size is
 * unknown). fs_ncg comes from the disk: a crafted one says 2^31; loops and allocations
 * never go past what the image can hold, the rest is reported as past its end.
 */
export function groupsInImage(sb: Superblock, bytes: number | null, base = 0): number {
  if (bytes === null) return sb.raw.ncg;
  const perGroup = sb.raw.fpg * sb.raw.fsize;
  return Math.max(0, Math.min(sb.raw.ncg, Math.ceil((bytes - base) / perGroup)));
}
