// Deleted names in directory blocks. BSD's ufs_dirremove either zeroes d_ino (entry
// first in its 512-byte chunk) or grows the previous entry's d_reclen over the
// removed one, leaving its bytes in place. So deleted names are found (a) as named
// entries with inode 0 at a chunk start, and (b) in the slack after live entries.
import { decodeDirent, type RawDirent } from "../native/ffs.ts";
import { escapeBytes } from "../util/escape.ts";

export const DIRBLKSIZ = 512;

export interface FoundName {
  name: string;
  /** Inode number it had; 0 when the removal cleared it (first entry of a chunk). */
  inode: number;
  /** d_type (4.4BSD format), 0 when unknown. */
  type: number;
  /** Byte offset of the entry inside the scanned buffer. */
  offset: number;
}

export interface LiveName {
  name: string;
  inode: number;
  type: number;
  offset: number;
}

export interface DirScanOptions {
  bigEndian: boolean;
  oldFormat: boolean;
  /** Largest valid inode number (ncg × ipg − 1). */
  maxInode: number;
}

/** A plausible name: 1..255 bytes, no NUL or '/', no C0 control or DEL, NUL after it.
 *  Returned escaped (C1 controls and non-UTF-8 bytes as \xNN): names are bytes, not text. */
function nameOf(buf: Uint8Array, d: RawDirent): string | null {
  if (d.namlen < 1 || d.namlen > 255) return null;
  const end = d.nameOffset + d.namlen;
  for (let i = d.nameOffset; i < end; i++) {
    const c = buf[i]!;
    if (c < 0x20 || c === 0x2f || c === 0x7f) return null;
  }
  if (buf[end] !== 0) return null;
  return escapeBytes(buf.subarray(d.nameOffset, end));
}

/**
 * Scan buf[0, length) as directory chunks. Live entries go to `live` (used to name
 * directories), deleted ones to `found`. A chunk whose live chain is broken is not
 * trusted at all (it is probably not a directory block). Returns the number of
 * well-formed chunks.
 */
export function scanDirectory(buf: Uint8Array, length: number, o: DirScanOptions, found: (n: FoundName) => void, live?: (n: LiveName) => void): number {
  let good = 0;
  for (let chunk = 0; chunk + DIRBLKSIZ <= length; chunk += DIRBLKSIZ) {
    const end = chunk + DIRBLKSIZ;
    const entries: Array<{ d: RawDirent; off: number; name: string | null }> = [];
    let off = chunk;
    let ok = true;
    while (off < end) {
      const d = decodeDirent(buf, end, off, o.bigEndian, o.oldFormat);
      if (!d || d.reclen < 8 || d.reclen % 4 !== 0 || off + d.reclen > end || d.ino > o.maxInode) {
        ok = false;
        break;
      }
      const name = d.namlen > 0 ? nameOf(buf, d) : null;
      if (d.ino !== 0 && (name === null || d.minLength > d.reclen)) {
        ok = false;
        break;
      }
      entries.push({ d, off, name });
      off += d.reclen;
    }
    if (!ok || entries.length === 0) continue;
    good++;
    for (const { d, off: at, name } of entries) {
      if (d.ino === 0) {
        if (at === chunk && name !== null && d.minLength <= d.reclen) found({ name, inode: 0, type: d.type, offset: at });
        scanSlack(buf, at + Math.min(d.minLength, d.reclen), at + d.reclen, o, found);
      } else {
        live?.({ name: name!, inode: d.ino, type: d.type, offset: at });
        scanSlack(buf, at + d.minLength, at + d.reclen, o, found);
      }
    }
  }
  return good;
}

/** Well-formed entries inside [from, to): the bytes of removed entries. */
function scanSlack(buf: Uint8Array, from: number, to: number, o: DirScanOptions, found: (n: FoundName) => void): void {
  let p = (from + 3) & ~3;
  while (p + 12 <= to) {
    const d = decodeDirent(buf, to, p, o.bigEndian, o.oldFormat);
    const name = d && d.ino > 0 && d.ino <= o.maxInode && d.reclen >= d.minLength && d.reclen % 4 === 0 && p + d.minLength <= to ? nameOf(buf, d) : null;
    if (d && name !== null) {
      found({ name, inode: d.ino, type: d.type, offset: p });
      p += d.minLength;
    } else p += 4;
  }
}
