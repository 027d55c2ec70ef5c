// FAT12/16/32 used space: the clusters whose FAT entry is not free, and the metadata a repair
// needs first (boot sector and reserved area, every FAT copy, the root directory).
//
// Which clusters are "used": every non-zero FAT entry except the bad-cluster mark. fsck.fat
// ("n/m clusters") and The Sleuth Kit (blkls -a) both count bad clusters as allocated, since
// they are not free; a rescue has no reason to read them first (no file owns them, and the disk
// already failed there once), so they are left out. The differential test removes the clusters
// TSK's fsstat lists as BAD before comparing, and says so.
import { RangeBuilder, unionRanges } from "../ranges.ts";
import { detectBootSector, findBootSector } from "../boot-detect.ts";
import { FsMapError, type FilesystemParser, type ReadBytes, type UsedSpace, type Volume } from "../types.ts";
import { clusterOffset, decodeBpb, fatBits, looksLikeFat, type FatGeometry } from "./bpb.ts";
import { FatTable } from "./table.ts";

const MAX_DIRECTORY_BYTES = 65536 * 32;
/** FAT32 keeps a backup boot sector in its reserved area, at sector 6 by convention (mkfs.fat,
 *  Windows); FAT12/16 have none. Both sector sizes mkfs.fat makes are tried. */
const fat32Backup = () => [6 * 512, 6 * 4096];

function fatTable(read: ReadBytes, volume: Volume, g: FatGeometry): FatTable {
  const copyBytes = g.fatSectors * g.bytesPerSector;
  const bits = fatBits(g.type);
  return new FatTable(read, {
    filesystem: "fat",
    bits,
    copies: Array.from({ length: g.fatCount }, (_, i) => volume.start + g.fatOffset + i * copyBytes),
    // Only the entries that name clusters: the rest of the last FAT sector is padding.
    bytes: Math.min(copyBytes, Math.ceil(((g.clusterCount + 2) * bits) / 8)),
    entries: g.clusterCount + 2,
  });
}

/** Scans the whole FAT once, in address order: used clusters to `used`, unreadable ones to `unknown`. */
function scanClusters(table: FatTable, volume: Volume, g: FatGeometry, used: RangeBuilder, unknown: RangeBuilder): void {
  const last = g.clusterCount + 1;
  const bad = table.badMark;
  const bytesOf = (first: number, count: number) => [volume.start + clusterOffset(g, first), count * g.clusterBytes] as const;
  for (let i = 0; i < table.chunks; i++) {
    const firstEntry = Math.max(2, i * table.entriesPerChunk);
    const endEntry = Math.min(last + 1, (i + 1) * table.entriesPerChunk);
    if (firstEntry >= endEntry) continue;
    const chunk = table.chunk(i);
    if (!chunk) {
      unknown.add(...bytesOf(firstEntry, endEntry - firstEntry));
      continue;
    }
    let runStart = -1;
    for (let n = firstEntry; n < endEntry; n++) {
      const k = n - i * table.entriesPerChunk;
      const readable = table.readable(chunk, k);
      const v = readable ? table.decode(chunk.data, k) : 0;
      if (!readable) unknown.add(...bytesOf(n, 1));
      const inUse = v !== 0 && v !== bad;
      if (inUse && runStart < 0) runStart = n;
      else if (!inUse && runStart >= 0) {
        used.add(...bytesOf(runStart, n - runStart));
        runStart = -1;
      }
    }
    if (runStart >= 0) used.add(...bytesOf(runStart, endEntry - runStart));
  }
}

function usedSpace(read: ReadBytes, volume: Volume): UsedSpace {
  const boot = findBootSector(read, volume, looksLikeFat, fat32Backup);
  if (!boot) throw new FsMapError("fat", `${volume.label}: FAT boot sector unreadable (and no FAT32 backup)`);
  const g = decodeBpb(boot, volume);
  const table = fatTable(read, volume, g);
  const used = new RangeBuilder();
  const unknown = new RangeBuilder();
  scanClusters(table, volume, g, used, unknown);
  // Boot sector, reserved sectors (FSInfo, FAT32's backup boot sector), all FATs and the fixed
  // FAT12/16 root directory lie before the first cluster.
  const metadata = [{ start: volume.start, length: g.dataOffset }];
  if (g.type === "fat32") {
    // A FAT directory holds at most 65536 entries of 32 bytes: a longer chain is hostile, and
    // the limit keeps the walk (and its visited set) small whatever the FAT says.
    const limit = Math.min(g.clusterCount, Math.ceil(MAX_DIRECTORY_BYTES / g.clusterBytes));
    const root = table.chain(g.rootCluster, limit, `${volume.label}: FAT32 root directory`);
    for (const c of root.clusters) metadata.push({ start: volume.start + clusterOffset(g, c), length: g.clusterBytes });
  }
  return {
    filesystem: g.type,
    volume,
    unit: g.clusterBytes,
    metadata: unionRanges(metadata),
    used: used.ranges,
    unknown: unknown.ranges,
  };
}

export const fatParser: FilesystemParser = {
  name: "fat",
  detect: detectBootSector(looksLikeFat, fat32Backup),
  usedSpace,
};
