// NTFS used space: the clusters $Bitmap (MFT record 6) marks in use, and the metadata a repair
// needs first: $Boot and the backup boot sector, the MFT itself ($MFT's runs), $MFTMirr,
// $LogFile and $Bitmap. Records 0..3 are also kept in $MFTMirr, which is read when the MFT's
// own copy is unreadable or torn. A fragmented MFT's run list may continue in extension records
// ($ATTRIBUTE_LIST), which are followed.
import { RangeBuilder, unionRanges } from "../ranges.ts";
import { setBitRuns } from "../../util/bit-runs.ts";
import { detectBootSector, findBootSector } from "../boot-detect.ts";
import { FsMapError, type ByteRange, type FilesystemParser, type ReadBytes, type UsedSpace, type Volume } from "../types.ts";
import { decodeNtfsBoot, looksLikeNtfs, type NtfsGeometry } from "./boot.ts";
import { applyFixups, attributeList, dataAttribute, listEntries, type DataAttribute } from "./record.ts";
import { readThroughRuns, runRanges, type Run } from "./runs.ts";

const MFT = 0, MFT_MIRR = 1, LOG_FILE = 2, BITMAP = 6, BOOT = 7;
/** NTFS keeps a backup boot sector in the volume's last sector (512- or 4096-byte sectors). */
const ntfsBackup = (volume: Volume) => [volume.length - 512, volume.length - 4096];
/** An attribute list is a few dozen bytes per attribute; more than this is hostile. */
const MAX_ATTRIBUTE_LIST = 256 * 1024;
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

  /** What `decode` makes of record n (fixed up), from the MFT or else its mirror; null when no
   *  copy can be read. A hostile copy is an error unless the mirror's copy decodes. */
  decoded<T>(n: number, decode: (rec: Uint8Array) => T): T | null {
    let firstError: FsMapError | null = null;
    for (const fromMirror of [false, true]) {
      const raw = this.raw(n, fromMirror);
      if (!raw) continue;
      try {
        return decode(applyFixups(raw, this.what(n)));
      } catch (e) {
        if (!(e instanceof FsMapError)) throw e;
        firstError ??= e;
      }
    }
    if (firstError) throw firstError;
    return null;
  }

  /** Record n's unnamed $DATA, or null when no copy can be read. */
  data(n: number): DataAttribute | null {
    return this.decoded(n, (rec) => {
      const data = dataAttribute(rec, this.g.clusterCount, this.what(n));
      if (!data) throw new FsMapError("ntfs", `${this.what(n)}: no unnamed $DATA attribute`);
      return data;
    });
  }

  /**
   * The $MFT's runs. A fragmented MFT keeps the rest of its run list in extension records named
   * by record 0's $ATTRIBUTE_LIST; those are read through the runs known so far (they lie early
   * in the MFT). An unreadable extension ends the list early: the map comes from $Bitmap anyway,
   * only `metadata` then misses the MFT's later extents. Returns the list's own extents too.
   */
  loadMft(): { runs: Run[]; listExtents: ByteRange[] } {
    const what = this.what(MFT);
    const base = this.decoded(MFT, (rec) => ({ data: dataAttribute(rec, this.g.clusterCount, what), list: attributeList(rec, this.g.clusterCount, what) }));
    if (!base) throw new FsMapError("ntfs", `${what} ($MFT) unreadable in the MFT and in its mirror`);
    if (!base.data) throw new FsMapError("ntfs", `${what}: no unnamed $DATA attribute`);
    if (base.data.resident) throw new FsMapError("ntfs", `${what}: $MFT data is resident`);
    this.mftRuns = [...base.data.runs];
    const list = base.list;
    if (!list) return { runs: this.mftRuns, listExtents: [] };
    if (!list.resident && list.size > MAX_ATTRIBUTE_LIST) throw new FsMapError("ntfs", `${what}: attribute list of ${list.size} bytes`);
    const bytes = list.resident ? list.bytes : readThroughRuns(this.read, this.volume.start, list.runs, this.g.clusterBytes, 0, list.size);
    const listExtents = list.resident ? [] : this.absolute(runRanges(list.runs, this.g.clusterBytes));
    if (!bytes) return { runs: this.mftRuns, listExtents };
    const pieces = listEntries(bytes, what).filter((e) => e.type === 0x80 && !e.named && e.record !== MFT);
    for (const e of pieces.sort((a, b) => a.startVcn - b.startVcn)) {
      const next = this.mftRuns.at(-1)!.vcn + this.mftRuns.at(-1)!.length;
      // One extension record may hold several pieces: they were joined when it was read.
      if (e.startVcn < next) continue;
      if (e.startVcn > next) throw new FsMapError("ntfs", `${what}: attribute list leaves a gap in $MFT's data at VCN ${next}`);
      const raw = readThroughRuns(this.read, this.volume.start, this.mftRuns, this.g.clusterBytes, e.record * this.g.recordBytes, this.g.recordBytes);
      if (!raw) break;
      const piece = dataAttribute(applyFixups(raw, this.what(e.record)), this.g.clusterCount, this.what(e.record), next);
      if (!piece || piece.resident) throw new FsMapError("ntfs", `${this.what(e.record)}: no $MFT data piece at VCN ${next}`);
      this.mftRuns.push(...piece.runs);
    }
    return { runs: this.mftRuns, listExtents };
  }

  absolute(ranges: ByteRange[]): ByteRange[] {
    return ranges.map((r) => ({ start: this.volume.start + r.start, length: r.length }));
  }

  /** Where a metadata file's clusters are (nothing when its record is unreadable). */
  extents(n: number): ByteRange[] {
    const d = this.data(n);
    if (!d || d.resident) return [];
    return this.absolute(runRanges(d.runs, this.g.clusterBytes));
  }

  /** Walks $Bitmap: set bits to `used`, unreadable pieces to `unknown`. Reads go in 64 KiB
   *  pieces; a piece that fails is read again one bitmap cluster at a time, so one bad sector
   *  costs the clusters it describes, not half a million. */
  scanBitmap(bitmap: DataAttribute, used: RangeBuilder, unknown: RangeBuilder): void {
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
  const mft = fs.loadMft();
  const metadata: ByteRange[] = [{ start: volume.start, length: g.bytesPerSector }];
  // The backup boot sector sits just past the sectors the boot sector counts, normally the
  // volume's last sector.
  const backup = g.totalSectors * g.bytesPerSector;
  if (backup + g.bytesPerSector <= volume.length) metadata.push({ start: volume.start + backup, length: g.bytesPerSector });
  metadata.push(...fs.absolute(runRanges(mft.runs, g.clusterBytes)), ...mft.listExtents, ...fs.extents(MFT_MIRR), ...fs.extents(LOG_FILE), ...fs.extents(BITMAP), ...fs.extents(BOOT));
  const used = new RangeBuilder();
  const unknown = new RangeBuilder();
  const bitmap = fs.data(BITMAP);
  if (bitmap) fs.scanBitmap(bitmap, used, unknown);
  else unknown.add(volume.start, g.clusterCount * g.clusterBytes);
  return { filesystem: "ntfs", volume, unit: g.clusterBytes, metadata: unionRanges(metadata), used: used.ranges, unknown: unknown.ranges };
}

export const ntfsParser: FilesystemParser = {
  name: "ntfs",
  detect: detectBootSector(looksLikeNtfs, ntfsBackup),
  usedSpace,
};
