// exFAT used space: the clusters the allocation bitmap marks in use (the bitmap, not the FAT, is
// authoritative: contiguous files have no FAT chain), and the metadata a repair needs first: both
// boot regions, the FAT(s), the allocation bitmap, the up-case table and the root directory.
// The bitmap and up-case table are found through the root directory's entries (types 0x81, 0x82).
import { unionRanges, RangeBuilder } from "../ranges.ts";
import { setBitRuns } from "../../util/bit-runs.ts";
import { le } from "../bytes.ts";
import { FatTable } from "../fat/table.ts";
import { detectBootSector, findBootSector } from "../boot-detect.ts";
import { FsMapError, type ByteRange, type FilesystemParser, type ReadBytes, type UsedSpace, type Volume } from "../types.ts";
import { checksumMatches, decodeExfatBoot, looksLikeExfat, type ExfatGeometry } from "./boot.ts";

const BITMAP_ENTRY = 0x81;
const UPCASE_ENTRY = 0x82;
const END_OF_DIRECTORY = 0x00;
/** exFAT's limits: a directory is at most 256 MiB, the up-case table at most 65536 UTF-16 pairs. */
const MAX_DIRECTORY_BYTES = 256 * 1024 * 1024;
const MAX_UPCASE_BYTES = 65536 * 2;

interface Extent {
  first: number;
  bytes: number;
}
/** `complete`: the root directory could be read up to its end (or to both entries). */
type SystemEntries = { bitmap?: Extent; upcase?: Extent; complete: boolean };

/** The backup boot region starts at sector 12 (512- to 4096-byte sectors). */
const exfatBackup = () => [12 * 512, 12 * 1024, 12 * 2048, 12 * 4096];

/** The boot region (main, else backup) whose checksum holds, decoded. */
function bootGeometry(read: ReadBytes, volume: Volume): ExfatGeometry {
  const first = findBootSector(read, volume, looksLikeExfat, exfatBackup);
  if (!first) throw new FsMapError("exfat", `${volume.label}: exFAT boot sector unreadable, and its backup too`);
  const shift = first[108]!;
  const bps = shift >= 9 && shift <= 12 ? 2 ** shift : 512;
  for (const region of [0, 12]) {
    const bytes = read(volume.start + region * bps, 12 * bps);
    if (bytes && checksumMatches(bytes, bps)) return decodeExfatBoot(bytes, volume);
  }
  throw new FsMapError("exfat", `${volume.label}: exFAT boot regions fail their checksum (or are unreadable)`);
}

class Exfat {
  readonly table: FatTable;

  constructor(
    readonly read: ReadBytes,
    readonly volume: Volume,
    readonly g: ExfatGeometry,
  ) {
    const copies = Array.from({ length: g.fatCount }, (_, i) => volume.start + g.fatOffset + i * g.fatBytes);
    // The active FAT first; the other (TexFAT) only when the active one cannot be read.
    if (g.activeFat === 1) copies.reverse();
    this.table = new FatTable(read, { filesystem: "exfat", bits: 32, copies, bytes: Math.min(g.fatBytes, (g.clusterCount + 2) * 4), entries: g.clusterCount + 2, full32: true });
  }

  clusterStart = (c: number) => this.volume.start + this.g.heapOffset + (c - 2) * this.g.clusterBytes;

  /**
   * The clusters of a `bytes`-long object starting at `first`: its FAT chain, or consecutive
   * clusters when the FAT has no chain for it (an entry of 0, as for NoFatChain files). A chain
   * cut short by an unreadable FAT sector is returned as far as it goes.
   */
  clusters(first: number, bytes: number, what: string): number[] {
    const n = Math.max(1, Math.ceil(bytes / this.g.clusterBytes));
    const last = this.g.clusterCount + 1;
    const fail = (why: string): never => {
      throw new FsMapError("exfat", `${what}: ${why}`);
    };
    if (first < 2 || first > last || n > this.g.clusterCount) fail(`${bytes} bytes at cluster ${first} do not fit in clusters 2..${last}`);
    if (this.table.entry(first) === 0) {
      if (first + n - 1 > last) fail(`${n} clusters from cluster ${first} run past cluster ${last}`);
      return Array.from({ length: n }, (_, i) => first + i);
    }
    const chain = this.table.chain(first, n, what);
    if (chain.complete && chain.clusters.length < n) fail(`cluster chain ends after ${chain.clusters.length} of ${n} clusters`);
    return chain.clusters;
  }

  /** The allocation bitmap's and up-case table's entries from the root directory. */
  findSystemEntries(root: number[]): SystemEntries {
    const found: SystemEntries = { complete: true };
    for (const c of root) {
      const data = this.read(this.clusterStart(c), this.g.clusterBytes);
      if (!data) return { ...found, complete: false };
      for (let o = 0; o + 32 <= data.length; o += 32) {
        const type = data[o]!;
        if (type === END_OF_DIRECTORY) return found;
        const entry = { first: le(data, o + 20, 4), bytes: le(data, o + 24, 8) };
        if (type === BITMAP_ENTRY && (data[o + 1]! & 1) === this.g.activeFat) found.bitmap ??= entry;
        if (type === UPCASE_ENTRY) found.upcase ??= entry;
        if (found.bitmap && found.upcase) return found;
      }
    }
    return found;
  }

  /** Walks the bitmap cluster by cluster: set bits to `used`, unreadable clusters to `unknown`. */
  scanBitmap(clusters: number[], used: RangeBuilder, unknown: RangeBuilder): void {
    const { g } = this;
    const bitsPerCluster = g.clusterBytes * 8;
    const heapRange = (first: number, count: number) => [this.clusterStart(first + 2), count * g.clusterBytes] as const;
    clusters.forEach((c, i) => {
      const firstBit = i * bitsPerCluster;
      const count = Math.min(bitsPerCluster, g.clusterCount - firstBit);
      if (count <= 0) return;
      const bits = this.read(this.clusterStart(c), g.clusterBytes);
      if (!bits) unknown.add(...heapRange(firstBit, count));
      else for (const [first, n] of setBitRuns(bits, count)) used.add(...heapRange(firstBit + first, n));
    });
    // A chain cut short by an unreadable FAT sector: the rest of the bitmap is not known.
    const covered = clusters.length * bitsPerCluster;
    if (covered < g.clusterCount) unknown.add(...heapRange(covered, g.clusterCount - covered));
  }
}

function usedSpace(read: ReadBytes, volume: Volume): UsedSpace {
  const g = bootGeometry(read, volume);
  const fs = new Exfat(read, volume, g);
  const label = volume.label;
  const rootLimit = Math.min(g.clusterCount, Math.ceil(MAX_DIRECTORY_BYTES / g.clusterBytes));
  const root = fs.table.chain(g.rootCluster, rootLimit, `${label}: exFAT root directory`).clusters;
  const metadata: ByteRange[] = [
    { start: volume.start, length: 24 * g.bytesPerSector },
    { start: volume.start + g.fatOffset, length: g.fatCount * g.fatBytes },
  ];
  const asRanges = (cs: number[]) => cs.map((c) => ({ start: fs.clusterStart(c), length: g.clusterBytes }));
  metadata.push(...asRanges(root));
  const { bitmap, upcase, complete } = fs.findSystemEntries(root);
  if (complete && !bitmap) throw new FsMapError("exfat", `${label}: exFAT root directory has no allocation bitmap entry`);
  if (upcase && upcase.bytes > MAX_UPCASE_BYTES) throw new FsMapError("exfat", `${label}: exFAT up-case table of ${upcase.bytes} bytes (at most ${MAX_UPCASE_BYTES})`);
  if (upcase) metadata.push(...asRanges(fs.clusters(upcase.first, upcase.bytes, `${label}: exFAT up-case table`)));
  const used = new RangeBuilder();
  const unknown = new RangeBuilder();
  if (bitmap) {
    const needed = Math.ceil(g.clusterCount / 8);
    // The bitmap is exactly ceil(ClusterCount / 8) bytes; allow slack up to a whole cluster.
    if (bitmap.bytes < needed || bitmap.bytes > needed + g.clusterBytes) throw new FsMapError("exfat", `${label}: exFAT allocation bitmap has ${bitmap.bytes} bytes, ${g.clusterCount} clusters need ${needed}`);
    const clusters = fs.clusters(bitmap.first, bitmap.bytes, `${label}: exFAT allocation bitmap`);
    metadata.push(...asRanges(clusters));
    fs.scanBitmap(clusters, used, unknown);
  } else {
    // The root directory's readable part has no bitmap entry: nothing in the heap is known.
    unknown.add(fs.clusterStart(2), g.clusterCount * g.clusterBytes);
  }
  return { filesystem: "exfat", volume, unit: g.clusterBytes, metadata: unionRanges(metadata), used: used.ranges, unknown: unknown.ranges };
}

export const exfatParser: FilesystemParser = {
  name: "exfat",
  detect: detectBootSector(looksLikeExfat, exfatBackup),
  usedSpace,
};
