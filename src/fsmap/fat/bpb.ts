// The BIOS Parameter Block of a FAT12/16/32 boot sector, decoded and checked against the volume
// before any number in it is used to compute an address. Field offsets are those of Microsoft's
// FAT specification (BPB_BytsPerSec at 11, BPB_FATSz32 at 36...).
import { FsMapError, type Volume } from "../types.ts";
import { le } from "../bytes.ts";

export type FatType = "fat12" | "fat16" | "fat32";

export interface FatGeometry {
  type: FatType;
  bytesPerSector: number;
  clusterBytes: number;
  /** Sectors before the first FAT (boot sector, FSInfo and backup boot sector on FAT32). */
  reservedSectors: number;
  fatCount: number;
  /** Sectors per FAT copy. */
  fatSectors: number;
  /** FAT12/16: the fixed root directory's sectors (0 on FAT32). */
  rootDirSectors: number;
  /** FAT32: the root directory's first cluster (0 on FAT12/16). */
  rootCluster: number;
  totalSectors: number;
  /** Data clusters, numbered 2 .. clusterCount + 1. */
  clusterCount: number;
  /** Byte offsets relative to the volume's start. */
  fatOffset: number;
  rootDirOffset: number;
  dataOffset: number;
}

const u16 = (b: Uint8Array, o: number) => le(b, o, 2);
const u32 = (b: Uint8Array, o: number) => le(b, o, 4);
const powerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** Cheap look at sector 0: an x86 jump, sane BPB numbers, and not an NTFS or exFAT boot sector
 *  (they start the same way). The 0x55AA signature is not required: old DOS floppies lack it. */
export function looksLikeFat(boot: Uint8Array): boolean {
  if (boot.length < 512) return false;
  if (!(boot[0] === 0xeb && boot[2] === 0x90) && boot[0] !== 0xe9) return false;
  const oem = String.fromCharCode(...boot.subarray(3, 11));
  if (oem === "NTFS    " || oem === "EXFAT   ") return false;
  const bps = u16(boot, 11);
  const media = boot[21]!;
  return [512, 1024, 2048, 4096].includes(bps) && powerOfTwo(boot[13]!) && u16(boot, 14) >= 1 && boot[16]! >= 1 && (media === 0xf0 || media >= 0xf8);
}

/** Decodes and checks the BPB; every failure is one FsMapError line. */
export function decodeBpb(boot: Uint8Array, volume: Volume): FatGeometry {
  const fail = (why: string): never => {
    throw new FsMapError("fat", `${volume.label}: FAT boot sector: ${why}`);
  };
  if (!looksLikeFat(boot)) fail("not a FAT boot sector");
  const bytesPerSector = u16(boot, 11);
  const sectorsPerCluster = boot[13]!;
  const reservedSectors = u16(boot, 14);
  const fatCount = boot[16]!;
  const rootEntries = u16(boot, 17);
  const totalSectors = u16(boot, 19) || u32(boot, 32);
  const fat16Sectors = u16(boot, 22);
  // The layout follows the BPB as Linux and dosfstools read it: a zero 16-bit FAT size means
  // the FAT32 extension (BPB_FATSz32, BPB_RootClus) is present.
  const isFat32Layout = fat16Sectors === 0;
  const fatSectors = isFat32Layout ? u32(boot, 36) : fat16Sectors;
  const clusterBytes = bytesPerSector * sectorsPerCluster;
  if (clusterBytes > 256 * 1024) fail(`cluster of ${clusterBytes} bytes`);
  if (fatCount > 16) fail(`${fatCount} FAT copies`);
  if (fatSectors === 0) fail("FAT size 0");
  if (isFat32Layout && rootEntries !== 0) fail(`FAT32 with ${rootEntries} fixed root entries`);
  if (totalSectors === 0) fail("0 sectors");
  if (totalSectors * bytesPerSector > volume.length) {
    fail(`claims ${totalSectors * bytesPerSector} bytes but the volume has ${volume.length}`);
  }
  const rootDirSectors = Math.ceil((rootEntries * 32) / bytesPerSector);
  const firstDataSector = reservedSectors + fatCount * fatSectors + rootDirSectors;
  if (firstDataSector >= totalSectors) fail(`metadata (${firstDataSector} sectors) fills the whole volume (${totalSectors} sectors)`);
  const clusterCount = Math.floor((totalSectors - firstDataSector) / sectorsPerCluster);
  if (clusterCount === 0) fail("no data clusters");
  // Microsoft's rule: the cluster count alone tells FAT12 from FAT16 (from FAT32 too, but the
  // BPB layout already said which, and a FAT32 below 65525 clusters is still read as FAT32).
  const type: FatType = isFat32Layout ? "fat32" : clusterCount < 4085 ? "fat12" : "fat16";
  const bits = fatBits(type);
  if (type !== "fat32" && clusterCount >= 65525) fail(`${clusterCount} clusters is too many for FAT16`);
  if (clusterCount > 0x0ffffff5) fail(`${clusterCount} clusters is too many for FAT32`);
  if (Math.ceil(((clusterCount + 2) * bits) / 8) > fatSectors * bytesPerSector) {
    fail(`a FAT of ${fatSectors} sectors cannot hold ${clusterCount} clusters`);
  }
  const rootCluster = isFat32Layout ? u32(boot, 44) : 0;
  if (isFat32Layout && (rootCluster < 2 || rootCluster > clusterCount + 1)) fail(`root directory cluster ${rootCluster} is outside 2..${clusterCount + 1}`);
  const fatOffset = reservedSectors * bytesPerSector;
  return {
    type,
    bytesPerSector,
    clusterBytes,
    reservedSectors,
    fatCount,
    fatSectors,
    rootDirSectors,
    rootCluster,
    totalSectors,
    clusterCount,
    fatOffset,
    rootDirOffset: fatOffset + fatCount * fatSectors * bytesPerSector,
    dataOffset: firstDataSector * bytesPerSector,
  };
}

/** Byte offset (relative to the volume) of data cluster `c` (2 .. clusterCount + 1). */
export const clusterOffset = (g: FatGeometry, c: number) => g.dataOffset + (c - 2) * g.clusterBytes;

/** Bits per FAT entry. */
export const fatBits = (type: FatType): 12 | 16 | 32 => (type === "fat12" ? 12 : type === "fat16" ? 16 : 32);
