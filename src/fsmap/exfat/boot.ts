// The exFAT boot region: the main boot sector's fields (offsets of Microsoft's exFAT
// specification: FatOffset at 80, ClusterHeapOffset at 88, ClusterCount at 92...) and the boot
// checksum over sectors 0..10 that sector 11 repeats. The region is kept twice (sectors 0..11
// and 12..23); a region whose checksum fails is not trusted, and the backup is tried.
import { FsMapError, type Volume } from "../types.ts";
import { le } from "../bytes.ts";

export interface ExfatGeometry {
  bytesPerSector: number;
  clusterBytes: number;
  volumeSectors: number;
  /** Byte offsets relative to the volume. */
  fatOffset: number;
  fatBytes: number;
  fatCount: number;
  /** Which FAT and allocation bitmap are in use (VolumeFlags bit 0; TexFAT volumes have two). */
  activeFat: number;
  heapOffset: number;
  /** Clusters 2 .. clusterCount + 1. */
  clusterCount: number;
  rootCluster: number;
}

export const looksLikeExfat = (boot: Uint8Array) => boot.length >= 512 && String.fromCharCode(...boot.subarray(3, 11)) === "EXFAT   ";

/** The boot checksum of the region's first 11 sectors (VolumeFlags and PercentInUse excluded,
 *  since they change without the region being rewritten). */
export function bootChecksum(region: Uint8Array, bytesPerSector: number): number {
  let sum = 0;
  for (let i = 0; i < 11 * bytesPerSector; i++) {
    if (i === 106 || i === 107 || i === 112) continue;
    sum = (((sum & 1) ? 0x80000000 : 0) + (sum >>> 1) + region[i]!) >>> 0;
  }
  return sum;
}

/** The region's checksum sector holds the checksum repeated; true when it matches. */
export function checksumMatches(region: Uint8Array, bytesPerSector: number): boolean {
  const sum = bootChecksum(region, bytesPerSector);
  for (let o = 11 * bytesPerSector; o < 12 * bytesPerSector; o += 4) if (le(region, o, 4) !== sum) return false;
  return true;
}

export function decodeExfatBoot(boot: Uint8Array, volume: Volume): ExfatGeometry {
  const fail = (why: string): never => {
    throw new FsMapError("exfat", `${volume.label}: exFAT boot sector: ${why}`);
  };
  if (!looksLikeExfat(boot)) fail("no EXFAT signature");
  if (boot[510] !== 0x55 || boot[511] !== 0xaa) fail("no 0x55AA signature");
  if (boot.subarray(11, 64).some((b) => b !== 0)) fail("bytes 11..63 are not zero");
  const bpsShift = boot[108]!;
  const spcShift = boot[109]!;
  if (bpsShift < 9 || bpsShift > 12) fail(`bytes-per-sector shift ${bpsShift}`);
  if (spcShift > 25 - bpsShift) fail(`sectors-per-cluster shift ${spcShift}`);
  const bytesPerSector = 2 ** bpsShift;
  const clusterBytes = 2 ** (bpsShift + spcShift);
  const volumeSectors = le(boot, 72, 8);
  if (volumeSectors * bytesPerSector > volume.length) fail(`claims ${volumeSectors * bytesPerSector} bytes but the volume has ${volume.length}`);
  const fatOffsetSectors = le(boot, 80, 4);
  const fatSectors = le(boot, 84, 4);
  const heapSectors = le(boot, 88, 4);
  const clusterCount = le(boot, 92, 4);
  const rootCluster = le(boot, 96, 4);
  const fatCount = boot[110]!;
  if (fatCount !== 1 && fatCount !== 2) fail(`${fatCount} FATs`);
  if (fatOffsetSectors < 24) fail(`FAT at sector ${fatOffsetSectors}, inside the boot regions`);
  if (fatOffsetSectors + fatCount * fatSectors > heapSectors) fail("the FATs overlap the cluster heap");
  if (clusterCount === 0 || clusterCount > 0xfffffff5) fail(`${clusterCount} clusters`);
  if (heapSectors * bytesPerSector + clusterCount * clusterBytes > volumeSectors * bytesPerSector) fail(`${clusterCount} clusters do not fit in ${volumeSectors} sectors`);
  if (fatSectors * bytesPerSector < (clusterCount + 2) * 4) fail(`a FAT of ${fatSectors} sectors cannot hold ${clusterCount} clusters`);
  if (rootCluster < 2 || rootCluster > clusterCount + 1) fail(`root directory cluster ${rootCluster} is outside 2..${clusterCount + 1}`);
  return {
    bytesPerSector,
    clusterBytes,
    volumeSectors,
    fatOffset: fatOffsetSectors * bytesPerSector,
    fatBytes: fatSectors * bytesPerSector,
    fatCount,
    activeFat: fatCount === 2 ? le(boot, 106, 2) & 1 : 0,
    heapOffset: heapSectors * bytesPerSector,
    clusterCount,
    rootCluster,
  };
}
