// The operations of GNU ddrescuelog 1.27 on mapfiles, as pure functions of StatusMaps:
// done status (-D), comparison (-p, -P), type changes (-a, -n), logic with a second map
// (-x, -y, -z) and the view listed by -l. Each walks the extents once (two maps: merged
// walk), so time is O(extents · log) and memory O(extents), never O(device size).
//
// The rescue domain is ddrescuelog's: [ipos, ipos + size), further restricted to the
// finished blocks of a domain map (-m), then cropped to the extent(s) each operation
// works on. The cropping rules were read off ddrescuelog 1.27's behaviour (see
// test/rescue/map-tools-cases.ts): -D, -a, -n and -l crop to the map; -x/-y/-z to both
// maps (outside the second map nothing changes); -p/-P are "nothing to do" only when the
// domain misses the common part, and otherwise compare up to the longer map, a byte that
// only one map covers being different (-p) or unfinished on the other side (-P).
import type { Range } from "../rescue/mapfile/domain.ts";
import { statusCode } from "../rescue/mapfile/extent-chunk.ts";
import type { ExtentView } from "../rescue/mapfile/extent-view.ts";
import { StatusMap } from "../rescue/mapfile/status-map.ts";
import type { BlockStatus } from "../rescue/mapfile/status.ts";
import type { BlockSource } from "./mapfile-write.ts";

const FINISHED = statusCode("+");
const BAD = statusCode("-");

export interface DomainSpec {
  /** -i: first byte of the domain. */
  ipos?: number;
  /** -s: bytes of the domain (Infinity: to the end). */
  size?: number;
  /** -m: only the finished blocks of this map. */
  domainMap?: ExtentView;
}

/** The domain's ranges, sorted and disjoint (one per finished run of a domain map). */
export function domainRanges(spec: DomainSpec): Range[] {
  const from = spec.ipos ?? 0;
  const to = from + (spec.size ?? Infinity);
  if (!spec.domainMap) return to > from ? [[from, to]] : [];
  const out: Range[] = [];
  const mask = 1 << FINISHED;
  for (let r = spec.domainMap.findWork(from, mask, 1); r && r[0] < to; r = spec.domainMap.findWork(r[1], mask, 1)) {
    const a = Math.max(r[0], from);
    const b = Math.min(r[1], to);
    if (b > a) out.push([a, b]);
  }
  return out;
}

/** The ranges cut to [0, end). */
export function crop(ranges: readonly Range[], end: number): Range[] {
  const out: Range[] = [];
  for (const [a, b] of ranges) {
    if (a >= end) break;
    out.push([a, Math.min(b, end)]);
  }
  return out;
}

/** Each piece of `map` inside the ranges, clipped to them, in order. */
function walk(map: ExtentView, ranges: readonly Range[], visit: (a: number, b: number, code: number) => boolean | void): boolean {
  for (const [from, to] of ranges) {
    let stopped = false;
    map.scan((a, b, code) => {
      if (a >= to) return false;
      const x = Math.max(a, from);
      const y = Math.min(b, to);
      if (y > x && visit(x, y, code) === false) {
        stopped = true;
        return false;
      }
    }, from);
    if (stopped) return false;
  }
  return true;
}

/** -D: every byte of the domain (cropped to the map) is finished. */
export function isDone(map: ExtentView, ranges: readonly Range[]): boolean {
  return walk(map, ranges, (_a, _b, code) => code === FINISHED);
}

/**
 * -p (finishedOnly false) and -P (true): whether the two maps agree within the ranges (already
 * cropped to the longer map). A byte only one map covers differs for -p; for -P it is
 * unfinished on the side that lacks it.
 */
export function mapsAgree(a: ExtentView, b: ExtentView, ranges: readonly Range[], finishedOnly: boolean): boolean {
  const same = (ca: number, cb: number) => (finishedOnly ? (ca === FINISHED) === (cb === FINISHED) : ca === cb);
  const common = Math.min(a.end, b.end);
  const longer = a.end > b.end ? a : b;
  for (const [from, to] of ranges) {
    const inner: Range[] = from < common ? [[from, Math.min(to, common)]] : [];
    const agree = walk(a, inner, (x, y, ca) => walk(b, [[x, y]], (_x, _y, cb) => same(ca, cb)));
    if (!agree) return false;
    if (to > common && Math.max(from, common) < longer.end) {
      // Only one map covers [max(from, common), to): -1 is "no status".
      if (!walk(longer, [[Math.max(from, common), to]], (_x, _y, c) => same(c, -1))) return false;
    }
  }
  return true;
}

/** A new map: `map` with `recode` applied to the pieces inside the ranges (adjacent equal blocks joined). */
function rewrite(map: ExtentView, ranges: readonly Range[], recode: (code: number, a: number, b: number, emit: (a: number, code: number) => void) => void): StatusMap {
  const out = new StatusMap(0);
  const emit = (a: number, code: number) => out.appendExtent(a, code);
  let k = 0;
  map.scan((a, b, code) => {
    let at = a;
    while (at < b) {
      while (k < ranges.length && ranges[k]![1] <= at) k++;
      const r = ranges[k];
      if (!r || r[0] >= b) {
        emit(at, code);
        return;
      }
      if (r[0] > at) emit(at, code);
      const x = Math.max(at, r[0]);
      const y = Math.min(b, r[1]);
      recode(code, x, y, emit);
      at = y;
    }
  });
  out.sealAppends(map.end, map.end);
  return out;
}

/** -a OLD,NEW: each status in `oldTypes` becomes the one at the same place in `newTypes` (its last one repeated). */
export function changeTypes(map: ExtentView, ranges: readonly Range[], oldTypes: string, newTypes: string): StatusMap {
  const table = [0, 1, 2, 3, 4];
  [...oldTypes].forEach((t, i) => (table[statusCode(t as BlockStatus)] = statusCode(newTypes[Math.min(i, newTypes.length - 1)] as BlockStatus)));
  return rewrite(map, ranges, (code, a, _b, emit) => emit(a, table[code]!));
}

/** -n: finished becomes bad-sector, everything else finished. */
export function invert(map: ExtentView, ranges: readonly Range[]): StatusMap {
  return changeTypes(map, ranges, "?*/-+", "++++-");
}

export type LogicOp = "xor" | "and" | "or";

const LOGIC: Record<LogicOp, (x: boolean, y: boolean) => boolean> = {
  xor: (x, y) => x !== y,
  and: (x, y) => x && y,
  or: (x, y) => x || y,
};

/**
 * -x/-y/-z OTHER: within the ranges (cropped to both maps), a byte is finished when the
 * operation on "finished in map" and "finished in other" is true; otherwise it keeps its
 * status, or becomes bad-sector when it was finished.
 */
export function logic(map: ExtentView, other: ExtentView, ranges: readonly Range[], op: LogicOp): StatusMap {
  const f = LOGIC[op];
  return rewrite(map, ranges, (code, a, b, emit) => {
    walk(other, [[a, b]], (x, _y, c2) => {
      const done = f(code === FINISHED, c2 === FINISHED);
      emit(x, done ? FINISHED : code === FINISHED ? BAD : code);
    });
  });
}

/** The map's extents inside the ranges, moved by `shift` bytes (-l with -o): what -l lists. */
export function listedView(map: ExtentView, ranges: readonly Range[], shift: number): BlockSource {
  return {
    scan(visit) {
      walk(map, ranges, (a, b, code) => visit(a + shift, b + shift, code));
    },
  };
}
