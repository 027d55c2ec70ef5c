// Deleted names in free space: a directory that was removed leaves its blocks in free
// fragments, entries intact. Every 512-byte chunk of a free fragment whose entry chain is
// well-formed is taken for such a block; all its named entries are reported.
import { DIRBLKSIZ, scanDirectory, type DirScanOptions } from "./dirblock.ts";
import type { Superblock } from "./superblock.ts";

export interface FreeBlockName {
  name: string;
  inode: number;
  type: number;
  /** Byte offset of the entry in the image. */
  byte: number;
}

export class FreeDirectoryScanner {
  readonly names: FreeBlockName[] = [];
  private readonly opts: DirScanOptions;
  /** Bounded: a disk full of old directories must not grow the report without end. */
  truncated = false;

  constructor(private readonly sb: Superblock, private readonly base = 0, private readonly limit = 100_000) {
    this.opts = { bigEndian: sb.bigEndian, oldFormat: sb.oldDirectories, maxInode: sb.raw.ncg * sb.raw.ipg - 1 };
  }

  /** Some 512-byte chunk of buf[start, start + length) starts with an entry scanDirectory could accept. */
  private mayHoldDirectory(buf: Uint8Array, start: number, length: number): boolean {
    const little = !this.opts.bigEndian;
    for (let at = start; at + DIRBLKSIZ <= start + length; at += DIRBLKSIZ) {
      const reclen = little ? buf[at + 4]! | (buf[at + 5]! << 8) : (buf[at + 4]! << 8) | buf[at + 5]!;
      if (reclen < 8 || reclen > DIRBLKSIZ || reclen % 4 !== 0) continue;
      const ino = little ? (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0 : ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
      if (ino <= this.opts.maxInode) return true;
    }
    return false;
  }

  /** Scan `count` free fragments starting at disk fragment `frag`, bytes in buf. */
  scan(buf: Uint8Array, count: number, frag: number): void {
    const fsize = this.sb.raw.fsize;
    for (let i = 0; i < count; i++) {
      const start = i * fsize;
      const byte = this.base + (frag + i) * fsize;
      // A chunk of zeros or text fails on its first entry: one decode per chunk, and none at
      // all when no chunk's first entry has a plausible d_reclen and d_ino (checked here in
      // JS, without a call into the shim: most free fragments are data, not directories).
      if (!this.mayHoldDirectory(buf, start, fsize)) continue;
      const one = buf.subarray(start, start + fsize);
      const add = (name: string, inode: number, type: number, offset: number) => {
        if (inode === 0 || name === "." || name === "..") return;
        if (this.names.length >= this.limit) {
          this.truncated = true;
          return;
        }
        this.names.push({ name, inode, type, byte: byte + offset });
      };
      scanDirectory(one, fsize, this.opts, (f) => add(f.name, f.inode, f.type, f.offset), (l) => add(l.name, l.inode, l.type, l.offset));
    }
  }
}
