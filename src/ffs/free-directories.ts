// Deleted names in free space: a directory that was removed leaves its blocks in free
// fragments, entries intact. Every 512-byte chunk of a free fragment whose entry chain is
// well-formed is taken for such a block; all its named entries are reported.
import { directoryCandidates } from "../native/ffs.ts";
import { scanDirectory, type DirScanOptions } from "./dirblock.ts";
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
  /** Per fragment of the current scan: may hold a directory block (directoryCandidates). */
  private candidates = new Uint8Array(0);

  constructor(private readonly sb: Superblock, private readonly base = 0, private readonly limit = 100_000) {
    this.opts = { bigEndian: sb.bigEndian, oldFormat: sb.oldDirectories, maxInode: sb.raw.ncg * sb.raw.ipg - 1 };
  }

  /** Scan `count` free fragments starting at disk fragment `frag`, bytes in buf. */
  scan(buf: Uint8Array, count: number, frag: number): void {
    const fsize = this.sb.raw.fsize;
    // A chunk of zeros or text fails on its first entry: one decode per chunk, and none at all
    // when no chunk's first entry has a plausible d_reclen and d_ino (one scan in C for the
    // whole run: most free fragments are data, not directories).
    if (this.candidates.length < count) this.candidates = new Uint8Array(count);
    directoryCandidates(buf, count * fsize, fsize, this.opts.bigEndian, this.opts.maxInode, this.candidates);
    if (this.candidates.subarray(0, count).indexOf(1) < 0) return;
    for (let i = 0; i < count; i++) {
      const start = i * fsize;
      const byte = this.base + (frag + i) * fsize;
      if (!this.candidates[i]) continue;
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
