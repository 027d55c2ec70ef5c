// The reassembly of undelete (reassemble.ts) on a saved getfree stream and its index
// (`textpieces --reassemble`): the index says which disk fragment each stream fragment was,
// so runs, blocks and tails are found exactly as on the filesystem itself. Without the
// filesystem the block size is a parameter and all fragments count as one cylinder group.
import { closeSync, readSync } from "node:fs";
import type { FragmentIndex, IndexRun } from "./fragment-index.ts";
import { reassemble, type RecoveredFile } from "./reassemble.ts";
import type { TextEncoding } from "./text-class.ts";
import { TextRunCollector, type RunGeometry } from "./text-runs.ts";

export interface StreamReassembly {
  files: RecoveredFile[];
  /** Read `count` disk fragments (from the stream) starting at disk fragment `frag`. */
  read(frag: number, count: number): Uint8Array;
  close(): void;
}

export function reassembleStream(fd: number, index: FragmentIndex, fragsPerBlock: number, encoding: TextEncoding): StreamReassembly {
  const fsize = index.fsize;
  const byDisk: IndexRun[] = index.runs.slice().sort((a, b) => a.disk - b.disk);
  const last = byDisk[byDisk.length - 1];
  const geo: RunGeometry = { fsize, frag: fragsPerBlock, size: last ? last.disk + last.count + 1 : 1, bigEndian: false };
  const collector = new TextRunCollector(geo, encoding);
  const chunk = Math.max(1, Math.floor((1 << 20) / fsize));
  const buf = new Uint8Array(chunk * fsize);
  for (const r of byDisk) {
    for (let at = 0; at < r.count; at += chunk) {
      const n = Math.min(chunk, r.count - at);
      const got = readSync(fd, buf, 0, n * fsize, (r.stream + at) * fsize);
      const whole = Math.floor(got / fsize);
      if (whole > 0) collector.push(buf, whole, r.disk + at);
      if (whole < n) collector.interrupt();
    }
  }
  const runOf = (f: number): IndexRun | null => {
    let lo = 0, hi = byDisk.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = byDisk[mid]!;
      if (f < r.disk) hi = mid - 1;
      else if (f >= r.disk + r.count) lo = mid + 1;
      else return r;
    }
    return null;
  };
  const out = new Uint8Array(256 * fsize);
  // A disk-contiguous text run lies inside one index run (the index merges contiguous ones).
  const read = (f: number, count: number) => {
    const r = runOf(f);
    const view = out.subarray(0, count * fsize);
    view.fill(0);
    if (r) readSync(fd, view, 0, Math.min(count, r.disk + r.count - f) * fsize, (r.stream + f - r.disk) * fsize);
    return view;
  };
  // The whole stream is one "group": tails may be anywhere in it.
  const files = reassemble(collector.finish(), {
    geo, fpg: Number.MAX_SAFE_INTEGER, read, indirectCandidates: collector.indirectCandidates,
    zeroAfter: (f) => runOf(f) !== null && read(f, 1).every((b) => b === 0),
  });
  return { files, read, close: () => closeSync(fd) };
}
