// Is this the same storage under another name? Every command that writes asks before it
// opens its output: a destination must not reach the source (or the filesystem being
// read) through a second device node, a loop device, a partition table, device-mapper,
// md, or the filesystem a file lives on; and it must not be in use (mounted, swap).
//
// Storage is a graph. Each node is a block device (by major:minor, whatever node names
// it), a character device (by rdev) or a file (by device and inode). "Lower" edges lead
// to what a write to the node also changes: a partition's disk, a dm/md device's slaves,
// a loop device's backing file, a file's filesystem device. Two paths overlap when one's
// node is the other's node or lies below it. A partition and its sibling, or two files on
// one filesystem, do not overlap.
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { statPath, type FileStat } from "../native/stat.ts";

export interface StorageNode {
  key: string;
  /** Words for messages: "block device 7:0 (loop0)", "file 'x.img'". */
  label: string;
}

/** Where sysfs, /proc/self/mountinfo and /proc/swaps are read (tests point it at fakes). */
export interface SystemFiles {
  sys: string;
  mountinfo: string;
  swaps: string;
}

export const realSystem: SystemFiles = { sys: "/sys", mountinfo: "/proc/self/mountinfo", swaps: "/proc/swaps" };

/** glibc's dev_t encoding: 12 bits of major and 20 of minor, split across the word. */
export function majorMinor(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

function tryStat(path: string): FileStat | null {
  try {
    return statPath(path);
  } catch {
    return null;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

const blockKey = (mm: string) => `b:${mm}`;
const fileKey = (st: FileStat) => `f:${st.dev}:${st.ino}`;

export class StorageGraph {
  constructor(private readonly system: SystemFiles = realSystem) {}

  /** The node a path names; for a path that does not exist yet, null. */
  node(path: string): StorageNode | null {
    const st = tryStat(path);
    if (!st) return null;
    return this.nodeOf(st, path);
  }

  private nodeOf(st: FileStat, path: string): StorageNode {
    if (st.kind === "block") {
      const mm = majorMinor(st.rdev);
      return { key: blockKey(mm), label: this.blockLabel(mm) };
    }
    if (st.kind === "char") return { key: `c:${st.rdev}`, label: `character device ${majorMinor(st.rdev)}` };
    return { key: fileKey(st), label: `'${path}'` };
  }

  private blockDir(mm: string): string | null {
    try {
      return realpathSync(join(this.system.sys, "dev/block", mm));
    } catch {
      return null;
    }
  }

  private blockLabel(mm: string): string {
    const dir = this.blockDir(mm);
    return dir ? `/dev/${basename(dir)} (${mm})` : `block device ${mm}`;
  }

  private devOfDir(dir: string): string | null {
    const t = readText(join(dir, "dev"));
    return t ? t.trim() : null;
  }

  /** What a write to the node also writes: [key, how] pairs, the node itself excluded. */
  below(path: string): Map<string, string> {
    const out = new Map<string, string>();
    const st = tryStat(path);
    if (st) {
      this.walkDown(this.nodeOf(st, path), st, path, out);
      return out;
    }
    // A new file (or directory): it will live on the filesystem of its nearest existing parent.
    for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
      const st = tryStat(dir);
      if (st) {
        this.walkBlock(majorMinor(st.dev), `'${path}' would be on the filesystem of`, out);
        return out;
      }
      if (dir === dirname(dir)) return out;
    }
  }

  private walkDown(node: StorageNode, st: FileStat, path: string, out: Map<string, string>): void {
    if (st.kind === "block") this.walkBlockEdges(majorMinor(st.rdev), node.label, out);
    else if (st.kind !== "char") this.walkBlock(majorMinor(st.dev), `${node.label} is on the filesystem of`, out);
  }

  private walkBlock(mm: string, how: string, out: Map<string, string>): void {
    const key = blockKey(mm);
    if (out.has(key) || !this.blockDir(mm)) return;
    const label = this.blockLabel(mm);
    out.set(key, `${how} ${label}`);
    this.walkBlockEdges(mm, label, out);
  }

  private walkBlockEdges(mm: string, label: string, out: Map<string, string>): void {
    const dir = this.blockDir(mm);
    if (!dir) return;
    if (existsSync(join(dir, "partition"))) {
      const parent = this.devOfDir(dirname(dir));
      if (parent) this.walkBlock(parent, `${label} is a partition of`, out);
    }
    for (const s of list(join(dir, "slaves"))) {
      const sdev = this.devOfDir(join(dir, "slaves", s));
      if (sdev) this.walkBlock(sdev, `${label} is built on`, out);
    }
    const backing = readText(join(dir, "loop/backing_file"))?.replace(/\n$/, "");
    if (backing) {
      const st = tryStat(backing);
      if (st && !out.has(fileKey(st))) {
        const node = this.nodeOf(st, backing);
        out.set(node.key, `${label} is a loop device backed by ${node.label}`);
        this.walkDown(node, st, backing, out);
      }
    }
  }

  /**
   * Why writing `dst` would change `src`, or null. Both are compared both ways: a
   * destination below the source (a partition's disk) and one above it (a loop device on
   * the source file) are both refused.
   */
  overlap(src: string, dst: string): string | null {
    const s = this.node(src);
    if (!s) return null;
    const d = this.node(dst);
    if (d && d.key === s.key) return `'${dst}' and '${src}' are the same ${d.key.startsWith("f:") ? "file" : d.label}`;
    const dstBelow = this.below(dst);
    const hit = dstBelow.get(s.key);
    if (hit) return `${hit}, the source`;
    if (d) {
      const viaSource = this.below(src).get(d.key);
      if (viaSource) return viaSource;
    }
    return null;
  }

  /** Block devices a write to the node reaches from above: partitions, holders, loop devices on a file. */
  private above(path: string): Map<string, string> {
    const out = new Map<string, string>();
    const st = tryStat(path);
    if (!st) return out;
    if (st.kind === "block") this.walkUp(majorMinor(st.rdev), out);
    else if (st.kind === "regular") {
      for (const loop of list(join(this.system.sys, "block"))) {
        const backing = readText(join(this.system.sys, "block", loop, "loop/backing_file"))?.replace(/\n$/, "");
        const b = backing ? tryStat(backing) : null;
        const mm = this.devOfDir(join(this.system.sys, "block", loop));
        if (b && mm && b.dev === st.dev && b.ino === st.ino) this.walkUp(mm, out);
      }
    }
    return out;
  }

  private walkUp(mm: string, out: Map<string, string>): void {
    if (out.has(mm)) return;
    const dir = this.blockDir(mm);
    if (!dir) return;
    out.set(mm, `/dev/${basename(dir)}`);
    for (const name of list(dir)) {
      const sub = join(dir, name);
      if (existsSync(join(sub, "partition"))) {
        const p = this.devOfDir(sub);
        if (p) this.walkUp(p, out);
      }
    }
    for (const h of list(join(dir, "holders"))) {
      const hdev = this.devOfDir(join(dir, "holders", h));
      if (hdev) this.walkUp(hdev, out);
    }
  }

  private walkBlockLayers(mm: string, out: Map<string, string>): void {
    const dir = this.blockDir(mm);
    if (!dir) return;
    const lower: string[] = [];
    if (existsSync(join(dir, "partition"))) lower.push(dirname(dir));
    for (const s of list(join(dir, "slaves"))) lower.push(join(dir, "slaves", s));
    for (const d of lower) {
      const dev = this.devOfDir(d);
      if (!dev || out.has(dev)) continue;
      out.set(dev, `/dev/${basename(realpathSync(d))}`);
      this.walkBlockLayers(dev, out);
    }
  }

  /** Why `dst` must not be written: a mounted filesystem or active swap on it or on what it holds. */
  inUse(dst: string): string | null {
    const devices = this.above(dst);
    // And the block devices under it: a dm device over a mounted partition, a partition of a
    // disk mounted whole. Loop backing files end the walk: their filesystem is meant to be written.
    const st = tryStat(dst);
    if (st?.kind === "block") this.walkBlockLayers(majorMinor(st.rdev), devices);
    if (devices.size === 0 && tryStat(dst)?.kind !== "regular") return null;
    for (const line of (readText(this.system.mountinfo) ?? "").split("\n")) {
      const f = line.split(" ");
      const sep = f.indexOf("-");
      if (f.length < 5 || sep < 0) continue;
      const source = f[sep + 2];
      const sourceSt = source?.startsWith("/") ? tryStat(source) : null;
      const mm = sourceSt?.kind === "block" ? majorMinor(sourceSt.rdev) : f[2]!;
      const name = devices.get(mm) ?? devices.get(f[2]!);
      if (name) return `${name} holds the filesystem mounted on ${unescapeMount(f[4]!)}`;
    }
    const target = tryStat(dst);
    for (const line of (readText(this.system.swaps) ?? "").split("\n").slice(1)) {
      const path = line.split(/\s+/)[0];
      const st = path ? tryStat(unescapeMount(path)) : null;
      if (!st) continue;
      if (st.kind === "block" && devices.has(majorMinor(st.rdev))) return `${devices.get(majorMinor(st.rdev))} is in use as swap`;
      if (target && st.kind === "regular" && st.dev === target.dev && st.ino === target.ino) return `'${dst}' is in use as swap`;
    }
    return null;
  }
}

/** mountinfo and /proc/swaps write space, tab, newline and backslash as \ooo. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}
