// The NTFS boot sector ($Boot's first sector): geometry and where the MFT and its mirror start.
// Offsets are those of the NTFS BPB (bytes per sector at 0x0B, total sectors at 0x28, MFT LCN at
// 0x30...). Every number is checked against the volume before it becomes an address.
import { FsMapError, type Volume } from "../types.ts";
import { le } from "../bytes.ts";

export interface NtfsGeometry {
  bytesPerSector: number;
  clusterBytes: number;
  totalSectors: number;
  /** Clusters 0 .. clusterCount - 1; the backup boot sector lies after the last one. */
  clusterCount: number;
  mftLcn: number;
  mftMirrLcn: number;
  recordBytes: number;
}

export const looksLikeNtfs = (boot: Uint8Array) => boot.length >= 512 && String.fromCharCode(...boot.subarray(3, 11)) === "NTFS    ";

/** A size field that is a count of clusters when positive and 2^-v bytes when negative. */
function clustersOrLog2(v: number, clusterBytes: number): number {
  const signed = v > 127 ? v - 256 : v;
  return signed > 0 ? signed * clusterBytes : signed < 0 && signed >= -31 ? 2 ** -signed : 0;
}

export function decodeNtfsBoot(boot: Uint8Array, volume: Volume): NtfsGeometry {
  const fail = (why: string): never => {
    throw new FsMapError("ntfs", `${volume.label}: NTFS boot sector: ${why}`);
  };
  if (!looksLikeNtfs(boot)) fail("no NTFS signature");
  if (boot[510] !== 0x55 || boot[511] !== 0xaa) fail("no 0x55AA signature");
  const bytesPerSector = le(boot, 0x0b, 2);
  if (![256, 512, 1024, 2048, 4096].includes(bytesPerSector)) fail(`${bytesPerSector} bytes per sector`);
  const spc = boot[0x0d]!;
  // Values above 0x80 are a negative power of two (4 KiB sectors with big clusters).
  const sectorsPerCluster = spc <= 0x80 ? spc : 2 ** (256 - spc);
  if (sectorsPerCluster === 0 || (sectorsPerCluster & (sectorsPerCluster - 1)) !== 0 || sectorsPerCluster > 4096) fail(`sectors per cluster byte 0x${spc.toString(16)}`);
  const clusterBytes = bytesPerSector * sectorsPerCluster;
  if (clusterBytes > 2 * 1024 * 1024) fail(`cluster of ${clusterBytes} bytes`);
  const totalSectors = le(boot, 0x28, 8);
  if (totalSectors === 0) fail("0 sectors");
  if (totalSectors * bytesPerSector > volume.length) fail(`claims ${totalSectors * bytesPerSector} bytes but the volume has ${volume.length}`);
  const clusterCount = Math.floor(totalSectors / sectorsPerCluster);
  const mftLcn = le(boot, 0x30, 8);
  const mftMirrLcn = le(boot, 0x38, 8);
  if (mftLcn >= clusterCount) fail(`MFT at cluster ${mftLcn}, past the last cluster ${clusterCount - 1}`);
  if (mftMirrLcn >= clusterCount) fail(`MFT mirror at cluster ${mftMirrLcn}, past the last cluster ${clusterCount - 1}`);
  const recordBytes = clustersOrLog2(boot[0x40]!, clusterBytes);
  if (recordBytes < 512 || recordBytes > 65536 || recordBytes % 512 !== 0) fail(`MFT record size ${recordBytes}`);
  return { bytesPerSector, clusterBytes, totalSectors, clusterCount, mftLcn, mftMirrLcn, recordBytes };
}
