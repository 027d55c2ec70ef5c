// Typed wrappers over the FFS decoders in csrc/ffs.c. The C side fills flat int64
// records; the slot lists below mirror the enums in csrc/ffs.h, in order.
import { shim } from "./library.ts";

const sbSlots = [
  "kind", "bigEndian", "magic",
  "sblkno", "cblkno", "iblkno", "dblkno", "cgoffset", "cgmask",
  "oldTime", "oldSize", "oldDsize", "ncg", "bsize", "fsize", "frag",
  "minfree", "bshift", "fshift", "fragshift", "fsbtodb", "sbsize",
  "nindir", "inopb", "oldCsaddr", "cssize", "cgsize", "oldCpg",
  "ipg", "fpg",
  "oldNdir", "oldNbfree", "oldNifree", "oldNffree",
  "fmod", "clean", "ronly", "oldFlags",
  "id0", "id1",
  "sblockactualloc", "sblockloc",
  "ndir", "nbfree", "nifree", "nffree",
  "time", "size", "dsize", "csaddr", "mtime",
  "flags", "maxsymlinklen", "inodefmt", "state", "postblformat", "nrpos",
] as const;

const cgSlots = [
  "oldFormat", "timeOld", "cgx", "ncyl", "niblkOld", "ndblk",
  "ndir", "nbfree", "nifree", "nffree",
  "iusedoff", "freeoff", "nextfreeoff", "niblk", "initediblk", "time",
] as const;

const inoScalars = ["mode", "nlink", "uid", "gid", "size", "blocks", "atime", "mtime", "ctime", "gen", "flags"] as const;
const dirSlots = ["ino", "reclen", "type", "namlen", "nameOffset", "minLength"] as const;

export type RawSuperblock = Record<(typeof sbSlots)[number], number>;
export type RawCylinderGroup = Record<(typeof cgSlots)[number], number>;
export type RawInode = Record<(typeof inoScalars)[number], number> & { direct: number[]; indirect: number[] };
export type RawDirent = Record<(typeof dirSlots)[number], number>;

// One scratch record reused by every call: decoding is synchronous and the values
// are copied out into plain objects before returning.
const scratch = new BigInt64Array(64);

function fill<K extends string>(names: readonly K[]): Record<K, number> {
  const r = {} as Record<K, number>;
  names.forEach((n, i) => (r[n] = Number(scratch[i])));
  return r;
}

/** Decode a superblock candidate (≥ 1376 bytes). null when no known magic in either byte order. */
export function decodeSuperblock(buf: Uint8Array): RawSuperblock | null {
  const kind = shim().shim_ffs_sb_decode(buf, buf.length, scratch);
  if (kind <= 0) return null;
  return fill(sbSlots);
}

/** Decode a cg header; a negative errno (-EBADMSG no magic, -ERANGE maps outside buffer) on failure. */
export function decodeCylinderGroup(buf: Uint8Array, length: number, bigEndian: boolean, ipg: number): RawCylinderGroup | number {
  const r = shim().shim_ffs_cg_decode(buf, Math.min(length, buf.length), bigEndian ? 1 : 0, ipg, scratch);
  return r < 0 ? r : fill(cgSlots);
}

/** Decode the dinode at byte `offset` of buf; null when it would pass the buffer's end. */
export function decodeInode(buf: Uint8Array, length: number, offset: number, ufs2: boolean, bigEndian: boolean): RawInode | null {
  const r = shim().shim_ffs_inode_decode(buf, Math.min(length, buf.length), offset, ufs2 ? 1 : 0, bigEndian ? 1 : 0, scratch);
  if (r < 0) return null;
  const ino = fill(inoScalars) as RawInode;
  ino.direct = Array.from(scratch.subarray(11, 23), Number);
  ino.indirect = Array.from(scratch.subarray(23, 26), Number);
  return ino;
}

/** Decode the directory entry at `offset` (header and name inside `length`); null otherwise. */
export function decodeDirent(buf: Uint8Array, length: number, offset: number, bigEndian: boolean, oldFormat: boolean): RawDirent | null {
  const r = shim().shim_ffs_dirent_decode(buf, Math.min(length, buf.length), offset, bigEndian ? 1 : 0, oldFormat ? 1 : 0, scratch);
  return r < 0 ? null : fill(dirSlots);
}

/** flags[i] = 1 when the i-th `unit`-byte piece of buf[0..length) is one repeated byte. */
export function uniformMap(buf: Uint8Array, length: number, unit: number, flags: Uint8Array): number {
  return shim().shim_ffs_uniform_map(buf, length, unit, flags) as number;
}
