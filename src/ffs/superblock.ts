// Finding and validating the superblock. The shim decodes the bytes; everything that
// decides whether to believe them lives here, following FreeBSD's and NetBSD's rules.
import type { Source } from "../io/source.ts";
import { decodeSuperblock, type RawSuperblock } from "../native/ffs.ts";
import { escapeBytes } from "../util/escape.ts";
import { FfsError } from "./errors.ts";
import { readExact } from "./read.ts";

/** FreeBSD's SBLOCKSEARCH order: UFS2, UFS1, floppy, "piggy". */
export const superblockOffsets = [65536, 8192, 0, 262144] as const;
const SBLOCKSIZE = 8192;

// Kinds as returned by the shim (csrc/ffs.h enum ffs_kind).
const kindNames: Record<number, string> = {
  1: "UFS1", 2: "UFS2", 3: "UFS2EA",
  4: "FreeBSD FS_BAD_MAGIC (newfs started but never finished)",
  5: "Solaris multi-terabyte UFS (MTB_UFS_MAGIC)",
  6: "HP-UX UFS variant",
  7: "UFS_MAGIC_BW (accepted by Linux, origin unknown)",
  8: "DEC OSF/1 FS_SEC_MAGIC",
};

export type Variant = "UFS1" | "UFS2" | "UFS2EA";

export interface Superblock {
  variant: Variant;
  /** True for the 64-bit-pointer layout (UFS2 and UFS2EA). */
  ufs2: boolean;
  bigEndian: boolean;
  /** Byte offset where this superblock was read (relative to the filesystem start). */
  location: number;
  raw: RawSuperblock;
  /** Totals in fragments, taken from the 32-bit fields for UFS1 and the 64-bit ones for UFS2. */
  size: number;
  dsize: number;
  csaddr: number;
  /** Last write, Unix seconds. */
  time: number;
  totals: { ndir: number; nbfree: number; nifree: number; nffree: number };
  /** 4.2/4.3BSD static cylinder-group tables (struct ocg). */
  oldCylinderGroups: boolean;
  /** 4.2/4.3 directory entries (u16 namlen, no d_type). */
  oldDirectories: boolean;
  lastMount: string;
  volumeName: string;
}

/**
 * Find the primary superblock: the first valid candidate in probe order. With `at`, read
 * exactly there instead (a backup copy, as `fsck -b` does): a backup's fs_sblockloc names
 * the primary, so that check and the "UFS1 at 65536" rule are left out.
 */
export function findSuperblock(source: Source, base = 0, at?: number): Superblock {
  const buf = new Uint8Array(SBLOCKSIZE);
  const rejected: string[] = [];
  const explicit = at !== undefined;
  for (const off of explicit ? [at] : superblockOffsets) {
    const n = readExact(source, buf, SBLOCKSIZE, base + off);
    if (n <= 0) {
      if (n < 0) rejected.push(`offset ${off}: unreadable (errno ${-n})`);
      continue;
    }
    const raw = decodeSuperblock(buf);
    if (!raw) continue;
    const name = kindNames[raw.kind] ?? `magic 0x${raw.magic.toString(16)}`;
    if (raw.kind > 3) throw new FfsError(`not supported: ${name} at byte ${off}`);
    if (!explicit && raw.kind === 1 && off === 65536) {
      rejected.push(`offset 65536: UFS1 magic, taken for the backup of a 64 KiB-block filesystem`);
      continue;
    }
    if (!explicit && raw.kind !== 1 && raw.sblockloc !== off) {
      rejected.push(`offset ${off}: ${name} superblock says it belongs at ${raw.sblockloc}`);
      continue;
    }
    const problem = validate(raw);
    if (problem) {
      rejected.push(`offset ${off}: ${name} superblock with ${problem}`);
      continue;
    }
    return build(raw, buf, off);
  }
  const why = rejected.length ? ` (${rejected[0]})` : "";
  if (explicit) throw new FfsError(`no valid UFS1/UFS2 superblock at byte ${at}${why}`);
  throw new FfsError(`no valid UFS1/UFS2 superblock at byte 65536, 8192, 0 or 262144${why}; \`salvage ffs superblocks\` lists backup copies`);
}

const isPow2 = (x: number) => x > 0 && (x & (x - 1)) === 0;

/** The first reason not to trust a decoded superblock, or null. */
export function validate(sb: RawSuperblock): string | null {
  const ufs2 = sb.kind !== 1;
  const size = ufs2 ? sb.size : sb.oldSize;
  if (!isPow2(sb.bsize) || sb.bsize < 4096 || sb.bsize > 65536) return `bad block size ${sb.bsize}`;
  if (!isPow2(sb.fsize) || sb.fsize < 512 || sb.bsize / sb.fsize > 8 || sb.fsize > sb.bsize) return `bad fragment size ${sb.fsize}`;
  if (sb.frag !== sb.bsize / sb.fsize) return `fs_frag ${sb.frag} != bsize/fsize`;
  if (1 << sb.fshift !== sb.fsize || 1 << sb.bshift !== sb.bsize) return `inconsistent shifts`;
  if (sb.ncg < 1 || sb.ncg > 0x7fffffff) return `bad cylinder-group count ${sb.ncg}`;
  if (sb.fpg <= 0 || sb.fpg % sb.frag !== 0) return `bad fragments per group ${sb.fpg}`;
  if (sb.ipg <= 0 || sb.ipg > 0x7fffffff) return `bad inodes per group ${sb.ipg}`;
  if (sb.sbsize <= 0 || sb.sbsize > SBLOCKSIZE) return `bad superblock size ${sb.sbsize}`;
  if (sb.cgsize <= 0 || sb.cgsize > sb.bsize) return `bad cylinder-group header size ${sb.cgsize}`;
  if (size <= 0 || !Number.isSafeInteger(size)) return `bad filesystem size ${size}`;
  if (sb.ncg * sb.fpg < size) return `cylinder groups (${sb.ncg} × ${sb.fpg}) smaller than the filesystem (${size})`;
  if ((sb.ncg - 1) * sb.fpg >= size) return `more cylinder groups (${sb.ncg}) than the size needs`;
  // The summary array holds 16 bytes per group (FreeBSD's validate_sblock checks the same):
  // fs_cssize is 32-bit, so this also keeps fs_ncg below 2^27 whatever fs_size says.
  const cssize = Math.ceil((sb.ncg * 16) / sb.fsize) * sb.fsize;
  if (sb.cssize !== cssize) return `summary size ${sb.cssize} does not fit ${sb.ncg} cylinder groups (${cssize})`;
  const csaddr = ufs2 ? sb.csaddr : sb.oldCsaddr;
  if (csaddr < 0 || csaddr + cssize / sb.fsize > size) return `summary area at fragment ${csaddr} outside the filesystem`;
  if (!(sb.sblkno >= 0 && sb.sblkno < sb.cblkno && sb.cblkno < sb.iblkno && sb.iblkno < sb.dblkno && sb.dblkno <= sb.fpg))
    return `bad cylinder-group layout (sblkno ${sb.sblkno}, cblkno ${sb.cblkno}, iblkno ${sb.iblkno}, dblkno ${sb.dblkno})`;
  const inodeSize = ufs2 ? 256 : 128;
  if (sb.inopb !== sb.bsize / inodeSize) return `bad inodes per block ${sb.inopb}`;
  return null;
}

export interface SuperblockCandidate {
  offset: number;
  kind: string;
  bigEndian: boolean;
  /** null when the geometry is plausible, else why not. */
  problem: string | null;
  ncg?: number;
  fsize?: number;
  bsize?: number;
  /** Where this superblock says the primary sits in its filesystem (UFS2's fs_sblockloc; 8192 for UFS1). */
  primaryAt?: number;
}

/**
 * Every superblock-looking 512-byte-aligned window in [0, limit): the magic at +1372 in
 * either byte order, then decoded and validated. For a damaged primary: the backups sit
 * at cgsblock(c) of every cylinder group. Streams the source in 1 MiB reads.
 */
export function scanSuperblocks(
  source: Source,
  base = 0,
  limit = Number.MAX_SAFE_INTEGER,
  onCandidate: (c: SuperblockCandidate) => void,
  /** Bytes scanned so far, after each MiB (a progress display). */
  onScanned?: (bytes: number) => void,
): void {
  const chunk = 1 << 20;
  const buf = new Uint8Array(chunk + SBLOCKSIZE);
  const view = new DataView(buf.buffer);
  const one = new Uint8Array(SBLOCKSIZE);
  const magics = new Set([0x00011954, 0x19540119, 0x19012038]);
  for (let pos = 0; pos < limit; pos += chunk) {
    const n = source.read(buf, chunk, base + pos);
    if (n === 0) break;
    if (n < 0) continue; // unreadable: skip this MiB, keep looking
    for (let w = 0; w + 1376 <= n; w += 512) {
      if (!magics.has(view.getUint32(w + 1372, true)) && !magics.has(view.getUint32(w + 1372, false))) continue;
      if (readExact(source, one, SBLOCKSIZE, base + pos + w) <= 0) continue;
      const raw = decodeSuperblock(one);
      if (!raw) continue;
      const good = validate(raw);
      onCandidate({ offset: pos + w, kind: kindName(raw.kind), bigEndian: raw.bigEndian === 1, problem: good, ncg: raw.ncg, fsize: raw.fsize, bsize: raw.bsize, primaryAt: raw.kind === 1 ? 8192 : raw.sblockloc });
    }
    onScanned?.(pos + n);
  }
}

/** A NUL-terminated name from the disk: bytes, escaped (util/escape.ts), never raw. */
function cString(buf: Uint8Array, start: number, max: number): string {
  const slice = buf.subarray(start, start + max);
  const end = slice.indexOf(0);
  return escapeBytes(end < 0 ? slice : slice.subarray(0, end));
}

function build(raw: RawSuperblock, buf: Uint8Array, location: number): Superblock {
  const ufs2 = raw.kind !== 1;
  const variant: Variant = raw.kind === 1 ? "UFS1" : raw.kind === 2 ? "UFS2" : "UFS2EA";
  return {
    variant,
    ufs2,
    bigEndian: raw.bigEndian === 1,
    location,
    raw,
    size: ufs2 ? raw.size : raw.oldSize,
    dsize: ufs2 ? raw.dsize : raw.oldDsize,
    csaddr: ufs2 ? raw.csaddr : raw.oldCsaddr,
    time: ufs2 ? raw.time : raw.oldTime,
    totals: ufs2
      ? { ndir: raw.ndir, nbfree: raw.nbfree, nifree: raw.nifree, nffree: raw.nffree }
      : { ndir: raw.oldNdir, nbfree: raw.oldNbfree, nifree: raw.oldNifree, nffree: raw.oldNffree },
    oldCylinderGroups: !ufs2 && raw.postblformat === -1,
    oldDirectories: raw.maxsymlinklen <= 0,
    // fs_fsmnt is 468 bytes in FreeBSD 5+ layouts (fs_volname follows); 512 in 4.4BSD ones.
    lastMount: cString(buf, 212, ufs2 ? 468 : 512),
    volumeName: ufs2 ? cString(buf, 680, 32) : "",
  };
}

/** Human name of a shim kind, for messages. */
export function kindName(kind: number): string {
  return kindNames[kind] ?? `kind ${kind}`;
}
