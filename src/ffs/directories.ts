// Walk every allocated directory (from the cylinder groups' inode bitmaps) and collect
// the deleted names left in its blocks, with the path of the directory they were in.
// Everything here is bounded by the image, whatever its directories claim: a block
// listed many times (by one inode or several) is scanned once, the names kept and the
// problems listed are capped, and a path stops at a parent cycle or a depth limit.
import type { Source } from "../io/source.ts";
import { decodeInode, type RawInode } from "../native/ffs.ts";
import { CylinderGroupReader, pastEndMessage } from "./cylinder-group.ts";
import { scanDirectory, type DirScanOptions } from "./dirblock.ts";
import { cgimin, fragOffset, inodeLocation } from "./geometry.ts";
import { BoundedList } from "../util/bounded-list.ts";
import { readExact } from "./read.ts";
import type { Superblock } from "./superblock.ts";

const IFMT = 0o170000;
const IFDIR = 0o040000;
const ROOT_INODE = 2;
/** Names kept (the report says how many more were found). */
export const MAX_DELETED_NAMES = 100_000;
/** Problems kept; one per unreadable block or bad group, so bounded by the image anyway. */
const MAX_PROBLEMS = 1000;
/** Directories above a name that are looked up; deeper paths start with "…/". */
export const MAX_PATH_DEPTH = 64;
/** Longest path shown (characters); longer ones keep their end, after "…". */
export const MAX_PATH_CHARS = 1024;

export interface DeletedName {
  /** Path of the directory that held it ("/" for the root; "?/name" when the chain to the root is unknown). */
  directory: string;
  name: string;
  inode: number;
  type: number;
  /** Where the entry bytes are: fragment and byte offset in the image. */
  byte: number;
  /** The inode as it is now, when the entry had an inode number. */
  now?: { allocated: boolean; mode: number; uid: number; gid: number; mtime: number; ctime: number };
}

export interface DirectoryScanResult {
  names: DeletedName[];
  /** Names found beyond MAX_DELETED_NAMES, not kept. */
  namesDropped: number;
  directories: number;
  problems: string[];
}

export function findDeletedNames(source: Source, sb: Superblock, base = 0): DirectoryScanResult {
  const ufs2 = sb.ufs2;
  const isize = ufs2 ? 256 : 128;
  const { bsize, fsize, ipg, inopb, ncg, frag } = sb.raw;
  const block = new Uint8Array(bsize);
  const data = new Uint8Array(bsize);
  const problems = new BoundedList<string>(MAX_PROBLEMS);
  /** Directory blocks already scanned (at most one entry per block of the image). */
  const scanned = new Set<number>();
  const opts: DirScanOptions = { bigEndian: sb.bigEndian, oldFormat: sb.oldDirectories, maxInode: ncg * ipg - 1 };
  const parent = new Map<number, { parent: number; name: string }>();
  const raw = new BoundedList<Omit<DeletedName, "directory" | "now"> & { dir: number }>(MAX_DELETED_NAMES);
  let directories = 0;

  const readBlock = (buf: Uint8Array, fragNo: number, length: number, what: string): boolean => {
    const r = readExact(source, buf, length, base + fragOffset(sb, fragNo));
    if (r === length) return true;
    problems.push(`${what}: fragment ${fragNo} ${r === 0 ? "past the end of the image" : `unreadable (errno ${-r})`}`);
    return false;
  };

  const scanDirInode = (ino: number, d: RawInode) => {
    directories++;
    const blocks: number[] = [];
    const nblocks = Math.min(Math.ceil(d.size / bsize), 12 + bsize / (ufs2 ? 8 : 4));
    for (let i = 0; i < Math.min(12, nblocks); i++) blocks.push(d.direct[i]!);
    if (nblocks > 12 && d.indirect[0]! > 0 && d.indirect[0]! < sb.size && readBlock(data, d.indirect[0]!, bsize, `directory inode ${ino} indirect block`)) {
      const view = new DataView(data.buffer, data.byteOffset, bsize);
      for (let i = 0; i < nblocks - 12; i++)
        blocks.push(ufs2 ? Number(view.getBigInt64(i * 8, !sb.bigEndian)) : view.getInt32(i * 4, !sb.bigEndian));
    }
    blocks.forEach((b, i) => {
      if (b <= 0 || b >= sb.size || scanned.has(b)) return;
      scanned.add(b);
      const length = Math.min(bsize, Math.ceil((d.size - i * bsize) / fsize) * fsize);
      if (length <= 0 || !readBlock(data, b, length, `directory inode ${ino}`)) return;
      scanDirectory(data, length, opts,
        (f) => raw.push({ dir: ino, name: f.name, inode: f.inode, type: f.type, byte: base + fragOffset(sb, b) + f.offset }),
        (l) => {
          if (l.type === 4 && l.name !== "." && l.name !== ".." && !parent.has(l.inode)) parent.set(l.inode, { parent: ino, name: l.name });
        });
    });
  };

  const cgs = new CylinderGroupReader(source, sb, base);
  for (let c = 0; c < ncg; c++) {
    const r = cgs.read(c);
    if (!r.ok && r.pastEnd) {
      problems.push(pastEndMessage(c, ncg));
      break;
    }
    if (!r.ok) {
      problems.push(r.error);
      continue;
    }
    const map = r.cg.inodeMap.slice();
    // UFS2 initialises inode blocks lazily: those past cg_initediblk hold old data.
    const limit = ufs2 && r.cg.raw.initediblk > 0 ? Math.min(ipg, r.cg.raw.initediblk) : ipg;
    for (let first = 0; first < limit; first += inopb) {
      let any = false;
      for (let i = first; i < Math.min(first + inopb, limit) && !any; i++) any = (map[i >> 3]! & (1 << (i & 7))) !== 0;
      if (!any) continue;
      const fragNo = cgimin(sb, c) + (first / inopb) * frag;
      if (!readBlock(block, fragNo, bsize, `inode block of cylinder group ${c}`)) continue;
      for (let i = first; i < Math.min(first + inopb, limit); i++) {
        if (!(map[i >> 3]! & (1 << (i & 7)))) continue;
        const ino = c * ipg + i;
        const d = decodeInode(block, bsize, (i - first) * isize, ufs2, sb.bigEndian);
        if (d && (d.mode & IFMT) === IFDIR) scanDirInode(ino, d);
      }
    }
  }

  const paths = new Map<number, string>();
  const names = raw.items.map(({ dir, ...n }) => {
    let directory = paths.get(dir);
    if (directory === undefined) paths.set(dir, (directory = pathOf(dir, parent)));
    return { ...n, directory, now: n.inode > 0 ? inodeNow(n.inode) : undefined };
  });
  const problemLines = problems.dropped ? [...problems.items, `${problems.dropped} more problems not listed`] : problems.items;
  return { names, namesDropped: raw.dropped, directories, problems: problemLines };

  function inodeNow(ino: number): DeletedName["now"] {
    const loc = inodeLocation(sb, ino);
    if (readExact(source, block, bsize, base + fragOffset(sb, loc.frag)) !== bsize) return undefined;
    const d = decodeInode(block, bsize, loc.byteInBlock, ufs2, sb.bigEndian);
    if (!d) return undefined;
    const g = cgs.read(Math.floor(ino / ipg));
    const i = ino % ipg;
    const allocated = g.ok ? (g.cg.inodeMap[i >> 3]! & (1 << (i & 7))) !== 0 : true;
    return { allocated, mode: d.mode, uid: d.uid, gid: d.gid, mtime: d.mtime, ctime: d.ctime };
  }
}

/**
 * "/a/b" up to the root; "?/b" when the chain breaks (an unknown parent, or a cycle: a
 * crafted directory can be its own grandparent); "…/b" past MAX_PATH_DEPTH levels.
 */
export function pathOf(dir: number, parent: Map<number, { parent: number; name: string }>): string {
  const parts: string[] = [];
  const seen = new Set<number>();
  let head = "/";
  for (let ino = dir; ino !== ROOT_INODE; ) {
    const p = parent.get(ino);
    if (!p || seen.has(ino)) {
      head = "?/";
      break;
    }
    if (parts.length >= MAX_PATH_DEPTH) {
      head = "…/";
      break;
    }
    seen.add(ino);
    parts.push(p.name);
    ino = p.parent;
  }
  const path = head === "?/" && parts.length === 0 ? "?" : head + parts.reverse().join("/");
  return path.length > MAX_PATH_CHARS ? "…" + path.slice(-MAX_PATH_CHARS) : path;
}
