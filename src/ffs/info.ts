// What `dumpfs`/`fsstat` summarise, as plain data: the superblock's geometry and
// every cylinder group's time and free counts (or why it could not be read).
import type { Source } from "../io/source.ts";
import { CylinderGroupReader, pastEndMessage } from "./cylinder-group.ts";
import type { Superblock } from "./superblock.ts";

export interface GroupSummary {
  index: number;
  time?: number;
  fragments?: number;
  ndir?: number;
  nbfree?: number;
  nifree?: number;
  nffree?: number;
  /** Free fragments counted in the bitmap (what getfree walks). */
  bitmapFree?: number;
  error?: string;
}

export interface FsSummary {
  variant: string;
  byteOrder: "little-endian" | "big-endian";
  superblockOffset: number;
  blockSize: number;
  fragmentSize: number;
  fragments: number;
  dataFragments: number;
  cylinderGroups: number;
  fragmentsPerGroup: number;
  inodesPerGroup: number;
  lastWritten: number;
  lastMount: string;
  volumeName: string;
  clean: boolean;
  oldCylinderGroups: boolean;
  totals: Superblock["totals"];
  groups: GroupSummary[];
}

function popcount(map: Uint8Array, bits: number): number {
  let n = 0;
  for (let i = 0; i < bits; i++) if (map[i >> 3]! & (1 << (i & 7))) n++;
  return n;
}

export function summarize(source: Source, sb: Superblock, base = 0): FsSummary {
  const reader = new CylinderGroupReader(source, sb, base);
  const groups: GroupSummary[] = [];
  for (let c = 0; c < sb.raw.ncg; c++) {
    const r = reader.read(c);
    if (!r.ok && r.pastEnd) {
      groups.push({ index: c, error: pastEndMessage(c, sb.raw.ncg) });
      break;
    }
    if (!r.ok) {
      groups.push({ index: c, error: r.error });
      continue;
    }
    const g = r.cg;
    groups.push({
      index: c, time: g.time, fragments: g.length,
      ndir: g.raw.ndir, nbfree: g.raw.nbfree, nifree: g.raw.nifree, nffree: g.raw.nffree,
      bitmapFree: popcount(g.freeMap, g.length),
    });
  }
  return {
    variant: sb.variant,
    byteOrder: sb.bigEndian ? "big-endian" : "little-endian",
    superblockOffset: sb.location,
    blockSize: sb.raw.bsize,
    fragmentSize: sb.raw.fsize,
    fragments: sb.size,
    dataFragments: sb.dsize,
    cylinderGroups: sb.raw.ncg,
    fragmentsPerGroup: sb.raw.fpg,
    inodesPerGroup: sb.raw.ipg,
    lastWritten: sb.time,
    lastMount: sb.lastMount,
    volumeName: sb.volumeName,
    clean: sb.raw.clean === 1,
    oldCylinderGroups: sb.oldCylinderGroups,
    totals: sb.totals,
    groups,
  };
}
