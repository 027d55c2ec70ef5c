// Reading one cylinder-group header and checking it against the superblock. A group
// that fails is reported by the caller and skipped: one bad header must not stop a
// recovery of the other groups.
import type { Source } from "../io/source.ts";
import { decodeCylinderGroup, type RawCylinderGroup } from "../native/ffs.ts";
import { cgbase, cgLength, cgtod, fragOffset, groupsInImage } from "./geometry.ts";
import { readExact } from "./read.ts";
import { setBitRuns } from "../util/bit-runs.ts";
import type { Superblock } from "./superblock.ts";

export interface CylinderGroup {
  index: number;
  raw: RawCylinderGroup;
  /** First fragment described by the free bitmap. */
  base: number;
  /** Fragments covered by the bitmap, clamped to the filesystem size. */
  length: number;
  /** Last modification, Unix seconds. */
  time: number;
  /** Free-fragment bitmap: bit i (LSB first) set = fragment base+i free. A view into the reader's buffer. */
  freeMap: Uint8Array;
  /** Inode-in-use bitmap, ipg bits. A view into the reader's buffer. */
  inodeMap: Uint8Array;
}

export type CgResult = { ok: true; cg: CylinderGroup } | { ok: false; error: string; pastEnd?: boolean };

/** Reads headers into one buffer sized for the largest header; results are valid until the next read. */
export class CylinderGroupReader {
  private readonly buf: Uint8Array;
  private readonly length: number;
  /** Groups from here on start past the image's end (groupsInImage). */
  readonly inImage: number;

  constructor(private readonly source: Source, private readonly sb: Superblock, private readonly base = 0) {
    this.inImage = groupsInImage(sb, source.size, base);
    // The header (with its maps) fits in one block; old static cgs need ≥ 984 bytes plus the map.
    const fsize = sb.raw.fsize;
    this.length = Math.ceil(Math.max(sb.raw.cgsize, sb.oldCylinderGroups ? 2048 : 0) / fsize) * fsize;
    this.buf = new Uint8Array(this.length);
  }

  read(c: number): CgResult {
    const sb = this.sb;
    const at = this.base + fragOffset(sb, cgtod(sb, c));
    if (c >= this.inImage) return { ok: false, pastEnd: true, error: `cylinder group ${c} starts past the end of the image` };
    const n = readExact(this.source, this.buf, this.length, at);
    if (n === 0) return { ok: false, pastEnd: true, error: `cylinder group ${c}: header at byte ${at} is past the end of the image` };
    if (n < 0) return { ok: false, error: `cylinder group ${c}: header at byte ${at} unreadable (errno ${-n})` };
    const raw = decodeCylinderGroup(this.buf, this.length, sb.bigEndian, sb.raw.ipg);
    if (typeof raw === "number") {
      const what = raw === -74 ? "no cylinder-group magic" : "maps extend past the header";
      return { ok: false, error: `cylinder group ${c}: ${what} (header at byte ${at})` };
    }
    if (raw.cgx !== c) return { ok: false, error: `cylinder group ${c}: header claims to be group ${raw.cgx}` };
    if (raw.ndblk > sb.raw.fpg || raw.ndblk <= 0) return { ok: false, error: `cylinder group ${c}: ${raw.ndblk} fragments (fpg ${sb.raw.fpg})` };
    const length = Math.min(raw.ndblk, cgLength(sb, c));
    return {
      ok: true,
      cg: {
        index: c,
        raw,
        base: cgbase(sb, c),
        length,
        time: sb.ufs2 && raw.time !== 0 ? raw.time : raw.timeOld,
        freeMap: this.buf.subarray(raw.freeoff, raw.freeoff + Math.ceil(raw.ndblk / 8)),
        inodeMap: this.buf.subarray(raw.iusedoff, raw.iusedoff + Math.ceil(sb.raw.ipg / 8)),
      },
    };
  }
}

/** Runs of free fragments in a group's free bitmap (a set bit means free in FFS). */
export const freeRuns = setBitRuns;

/** One message for all groups from c on: the image ends before them (truncated image or absurd geometry). */
export function pastEndMessage(c: number, ncg: number): string {
  return c === ncg - 1
    ? `cylinder group ${c} lies past the end of the image`
    : `cylinder groups ${c}..${ncg - 1} lie past the end of the image (truncated image?)`;
}
