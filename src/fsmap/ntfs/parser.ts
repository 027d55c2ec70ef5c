// NTFS used space: the clusters $Bitmap (MFT record 6) marks in use, and the metadata a repair
// needs first: $Boot and the backup boot sector, the MFT itself ($MFT's runs), $MFTMirr,
// $LogFile and $Bitmap. Records 0..3 are also kept in $MFTMirr, which is read when the MFT's
// own copy is unreadable or torn.
import { RangeList, mergeRanges } from "../extents.ts";
import { setBitRuns } from "../../util/bit-runs.ts";
import { detectBootSector, findBootSector } from "../boot-detect.ts";
import { FsMapError, type ByteRange, type FilesystemParser, type ReadBytes, type UsedSpace, type Volume } from "../types.ts";
import { decodeNtfsBoot, looksLikeNtfs, type NtfsGeometry } from "./boot.ts";
import { applyFixups, dataAttribute, type DataAttribute } from "./record.ts";
import { readThroughRuns, runRanges, type Run } from "./runs.ts";

const MFT = 0, MFT_MIRR = 1, LOG_FILE = 2, BITMAP = 6, BOOT = 7;
/** NTFS keeps a backup boot sector in the volume's last sector (512- or 4096-byte sectors). */
const ntfsBackup = (volume: Volume) => [volume.length - 512, volume.length - 4096];
/** $Bitmap bytes per read: 64 KiB covers 512 Ki clusters. */
const BITMAP_CHUNK = 65536;

class Ntfs {
  mftRuns: Run[] = [];

  constructor(
    readonly read: ReadBytes,
    readonly volume: Volume,
    readonly g: NtfsGeometry,
  ) {}

  what = (n: number) => `${this.volume.label}: NTFS MFT record ${n}`;

  /** Record n's raw bytes from the MFT (through its runs once known), else from $MFTMirr (0..3). */
  private raw(n: number, fromMirror: boolean): Uint8Array | null {
    const { g, volume } = this;
    if (fromMirror) return n < 4 ? this.read(volume.start + g.mftMirrLcn * g.clusterBytes + n * g.recordBytes, g.recordBytes) : null;
    if (n === MFT) return this.read(volume.start + g.mftLcn * g.clusterBytes, g.recordBytes);
    return readThroughRuns(this.read, volume.start, this.mftRuns, g.clusterBytes, n * g.recordBytes, g.recordBytes);
  }

  /** Record n's unnamed $DATA, or null when no copy can be read. A hostile copy is an error
   *  unless the mirror's copy is good. */
  data(n: number): DataAttribute | null {
    let firstError: FsMapError | null = null;
    for (const fromMirror of [false, true]) {
      const raw = this.raw(n, fromMirror);
      if (!raw) continue;
      try {
        const rec = applyFixups(raw, this.what(n));
        const data = dataAttribute(rec, this.g.clusterCount, this.what(n));
        if (!data) throw new FsMapError("ntfs", `${this.what(n)}: no unnamed $DATA attribute`);
        return data;
      } catch (e) {
        if (!(e instanceof FsMapError)) throw e;
        firstError ??= e;
      }
    }
    if (firstError) throw firstError;
    return null;
  }

  /** Where a metadata file's clusters are (nothing when its record is unreadable). */
  extents(n: number): ByteRange[] {
    const d = this.data(n);
    if (!d || d.resident) return [];
    return runRanges(d.runs, this.g.clusterBytes).map((r) => ({ start: this.volume.start + r.start, length: r.length }));
  }

  /** Walks $Bitmap: set bits to `used`, unreadable pieces to `unknown`. Reads go in 64 KiB
   *  pieces; a piece that fails is read again one bitmap cluster at a time, so one bad sector
   *  costs the clusters it describes, not half a million. */
  scanBitmap(bitmap: DataAttribute, used: RangeList, unknown: RangeList): void {
    const { g, volume } = this;
    const needed = Math.ceil(g.clusterCount / 8);
    const size = bitmap.resident ? bitmap.bytes.length : bitmap.size;
    if (size < needed) throw new FsMapError("ntfs", `${this.what(BITMAP)}: $Bitmap has ${size} bytes, ${g.clusterCount} clusters need ${needed}`);
    const clusterRange = (first: number, count: number) => [volume.start + first * g.clusterBytes, count * g.clusterBytes] as const;
    const bitsAt = (off: number, n: number) => (bitmap.resident ? bitmap.bytes.subarray(off, off + n) : readThroughRuns(this.read, volume.start, bitmap.runs, g.clusterBytes, off, n));
    const scan = (off: number, n: number, retry: boolean) => {
      const firstCluster = off * 8;
      const clusters = Math.min(n * 8, g.clusterCount - firstCluster);
      const bits = bitsAt(off, n);
      if (bits) for (const [first, count] of setBitRuns(bits, clusters)) used.add(...clusterRange(firstCluster + first, count));
      else if (!retry || n <= g.clusterBytes) unknown.add(...clusterRange(firstCluster, clusters));
      else for (let o = off; o < off + n; o += g.clusterBytes) scan(o, Math.min(g.clusterBytes, off + n - o), false);
    };
    for (let off = 0; off < needed; off += BITMAP_CHUNK) scan(off, Math.min(BITMAP_CHUNK, needed - off), true);
  }
}

function usedSpace(read: ReadBytes, volume: Volume): UsedSpace {
  const boot = findBootSector(read, volume, looksLikeNtfs, ntfsBackup);
  if (!boot) throw new FsMapError("ntfs", `${volume.label}: NTFS boot sector unreadable, and its backup too`);
  const g = decodeNtfsBoot(boot, volume);
  const fs = new Ntfs(read, volume, g);
  const mft = fs.data(MFT);
  if (!mft) throw new FsMapError("ntfs", `${fs.what(MFT)} ($MFT) unreadable in the MFT and in its mirror`);
  if (mft.resident) throw new FsMapError("ntfs", `${fs.what(MFT)}: $MFT data is resident`);
  fs.mftRuns = mft.runs;
  const metadata: ByteRange[] = [{ start: volume.start, length: g.bytesPerSector }];
  // The backup boot sector sits just past the sectors the boot sector counts, normally the
  // volume's last sector.
  const backup = g.totalSectors * g.bytesPerSector;
  if (backup + g.bytesPerSector <= volume.length) metadata.push({ start: volume.start + backup, length: g.bytesPerSector });
  metadata.push(...fs.extents(MFT), ...fs.extents(MFT_MIRR), ...fs.extents(LOG_FILE), ...fs.extents(BITMAP), ...fs.extents(BOOT));
  const used = new RangeList();
  const unknown = new RangeList();
  const bitmap = fs.data(BITMAP);
  if (bitmap) fs.scanBitmap(bitmap, used, unknown);
  else unknown.add(volume.start, g.clusterCount * g.clusterBytes);
  return { filesystem: "ntfs", volume, unit: g.clusterBytes, metadata: mergeRanges(metadata), used: used.ranges, unknown: unknown.ranges };
}

export const ntfsParser: FilesystemParser = {
  name: "ntfs",
  detect: detectBootSector(looksLikeNtfs, ntfsBackup),
  usedSpace,
};
