// NTFS run lists ("mapping pairs"): a header byte whose low nibble is the width of the run's
// length and high nibble the width of its LCN delta (signed, relative to the previous run's LCN;
// width 0 = a sparse run with no clusters), then those bytes, until a 0 header. Decoding checks
// each run against the volume: a run list that leaves it is hostile.
import { FsMapError, type ByteRange, type ReadBytes } from "../types.ts";
import { le, leSigned } from "../bytes.ts";

export interface Run {
  vcn: number;
  /** First cluster on the volume, or null for a sparse run. */
  lcn: number | null;
  length: number;
}

export function decodeRuns(bytes: Uint8Array, startVcn: number, totalClusters: number, what: string): Run[] {
  const fail = (why: string): never => {
    throw new FsMapError("ntfs", `${what}: run list ${why}`);
  };
  const runs: Run[] = [];
  let vcn = startVcn;
  let lcn = 0;
  let i = 0;
  // Each run takes at least 2 bytes, so the loop is bounded by the attribute's length.
  while (i < bytes.length && bytes[i] !== 0) {
    const lengthBytes = bytes[i]! & 0x0f;
    const offsetBytes = bytes[i]! >> 4;
    if (lengthBytes === 0 || lengthBytes > 8 || offsetBytes > 8) fail(`header byte 0x${bytes[i]!.toString(16)}`);
    if (i + 1 + lengthBytes + offsetBytes > bytes.length) fail("runs past its attribute");
    const length = le(bytes, i + 1, lengthBytes);
    if (length === 0 || length > totalClusters) fail(`has a run of ${length} clusters on a volume of ${totalClusters}`);
    let runLcn: number | null = null;
    if (offsetBytes > 0) {
      lcn += leSigned(bytes, i + 1 + lengthBytes, offsetBytes);
      if (lcn < 0 || lcn + length > totalClusters) fail(`leaves the volume: clusters ${lcn}..${lcn + length - 1} of ${totalClusters}`);
      runLcn = lcn;
    }
    runs.push({ vcn, lcn: runLcn, length });
    vcn += length;
    i += 1 + lengthBytes + offsetBytes;
  }
  return runs;
}

/** The on-volume byte ranges (relative to the volume) of the runs' clusters, sparse runs left out. */
export function runRanges(runs: Run[], clusterBytes: number): ByteRange[] {
  return runs.filter((r) => r.lcn !== null).map((r) => ({ start: r.lcn! * clusterBytes, length: r.length * clusterBytes }));
}

/** The run holding `vcn` (runs are in VCN order, as decodeRuns makes them), by binary search:
 *  a run list has up to thousands of runs and a big $Bitmap is read in many pieces. */
function runAt(runs: Run[], vcn: number): Run | undefined {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = runs[mid]!;
    if (vcn < r.vcn) hi = mid - 1;
    else if (vcn >= r.vcn + r.length) lo = mid + 1;
    else return r;
  }
  return undefined;
}

/**
 * Reads `length` bytes at byte `offset` of a non-resident attribute through its runs (absolute
 * offsets via `base`, the volume's start). Null when a piece is unreadable or not mapped; zeros
 * for sparse runs, as NTFS defines them.
 */
export function readThroughRuns(read: ReadBytes, base: number, runs: Run[], clusterBytes: number, offset: number, length: number): Uint8Array | null {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const pos = offset + done;
    const vcn = Math.floor(pos / clusterBytes);
    const run = runAt(runs, vcn);
    if (!run) return null;
    const runEnd = (run.vcn + run.length) * clusterBytes;
    const n = Math.min(length - done, runEnd - pos);
    if (run.lcn !== null) {
      const piece = read(base + run.lcn * clusterBytes + (pos - run.vcn * clusterBytes), n);
      if (!piece) return null;
      out.set(piece, done);
    }
    done += n;
  }
  return out;
}
