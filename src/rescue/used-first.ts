// `rescue --used-first`: the bytes the filesystems need come first, through the same
// engine as any rescue (bad sectors in them are trimmed, scraped, retried and mapped).
//  1. metadata: the partition tables and every filesystem's metadata. What that is, is
//     only known by reading it, so this stage is a loop: parse what is rescued so far,
//     noting every byte the parsers asked for; rescue the asked-for bytes that were never
//     tried, and the metadata extents the parsers reported; parse again; until a parse
//     asks for nothing new.
//  2. used: the used data of every filesystem found (and all of any volume that could not
//     be parsed), with the whole strategy of the engine.
//  3. free: the rest, unless --used-only.
// Nothing but the map is kept between runs: a resumed run recomputes the stages from the
// destination and the map (the parse of rescued bytes gives the same answer), and each
// stage's engine run only touches blocks whose status still calls for work.
import { findUsedSpace, firstRanges, ParseSuspended, toSectors, usedRanges, type DiskUsage } from "../fsmap/find.ts";
import { intersectRanges, rangeBytes, subtractRanges, unionRanges } from "../fsmap/ranges.ts";
import { filesystemParsers } from "../fsmap/registry.ts";
import type { ByteRange, FilesystemParser, ReadBytes } from "../fsmap/types.ts";
import { Domain } from "./mapfile/domain.ts";
import type { RescueResult } from "./mapfile/engine.ts";
import type { RescueOptions } from "./mapfile/options.ts";
import { statusCode } from "./mapfile/extent-chunk.ts";
import type { StatusMap } from "./mapfile/status-map.ts";

export type StageName = "metadata" | "used" | "free";

export interface StageInfo {
  stage: StageName;
  /** 1-based, of `count` (2 with --used-only). */
  index: number;
  count: number;
  /** Bytes this stage covers. */
  domainBytes: number;
  /** All metadata and used bytes, once known (stages 2 and 3). */
  used?: Domain;
  /** A round of stage 1: copy passes 1-3 and trimming only. Probing the gaps left between
   *  failures (bisection), scraping and retries come in stage 2, with the used data: a bad
   *  area over a group's metadata is as unreadable after a sector-by-sector scrape as before
   *  it, its group counts as used meanwhile, and bisecting it first would delay every file.
   *  Trimming stays: it recovers the metadata next to a bad area for a few failed reads; the
   *  unread bytes beyond a piece's boundary do not count as good there (domainEdgeGood). */
  probe?: boolean;
}

/**
 * The engine options of a stage run (the user's options otherwise). In every stage the
 * domain's edges are where the filesystem's ranges happen to end, not where good data
 * begins: the unread bytes beyond do not count as good (domainEdgeGood false), so a failed
 * block at a range's end is not taken for a small defect and crawled before the other data.
 */
export function stageOptions(info: StageInfo): Partial<RescueOptions> {
  if (info.probe) return { noScrape: true, retries: 0, copyPasses: [1, 2, 3], domainEdgeGood: false };
  return { domainEdgeGood: false };
}

export interface UsedFirstOptions {
  map: StatusMap;
  sector: number;
  /** What the rescue may touch at all (the whole source, or a --domain map). */
  within: Domain;
  usedOnly: boolean;
  /** Reads what is rescued so far (finished blocks of the destination), null for the rest. */
  readRescued: ReadBytes;
  /** Runs the engine over one domain. */
  run(domain: Domain, stage: StageInfo): Promise<RescueResult>;
  onStage?(stage: StageInfo): void;
  /** One line each: what could not be parsed, the fallback. */
  onNote?(line: string): void;
  parsers?: readonly FilesystemParser[];
}

export interface UsedFirstResult extends RescueResult {
  usage: DiskUsage | null;
  /** The metadata and used bytes (stages 1 and 2): "all used data" means all of these. */
  used: Domain;
}

/** Parses of rescued bytes before stage 1 stops asking for more (a chain of metadata this deep,
 *  or this many places probed, is hostile). */
const MAX_ROUNDS = 64;
/** Rounds that rescue only the first untried range a parse asks for... */
const LAZY_ROUNDS = 6;
/** ...and, while the parse is still probing (partition tables, detect()), up to this round. */
const LAZY_PROBE_ROUNDS = 48;
/** A request larger than this is refused by the readers anyway (readers.ts). */
const MAX_REQUEST = 64 << 20;
/** Read requests remembered per parse; a parser asking for more is reading block by block. */
const MAX_REQUESTS = 1 << 20;

const toPairs = (r: readonly ByteRange[]): [number, number][] => r.map((x) => [x.start, x.start + x.length]);
const fromPairs = (r: readonly (readonly [number, number])[]): ByteRange[] => r.map(([a, b]) => ({ start: a, length: b - a }));

/**
 * The parsers, telling `state` whether the parse is probing (a detect(): places where a
 * filesystem may be, each of which may be a bad area) or walking a filesystem it found
 * (usedSpace(): group headers, bitmaps, all needed). Probes are rescued one per round, so a
 * FAT disk is not read at UFS's and ext's backup superblock places once its boot sector
 * answers; a found filesystem's requests are taken all at once after the first rounds.
 */
function watched(parsers: readonly FilesystemParser[], state: { probing: boolean }): FilesystemParser[] {
  return parsers.map((p) => ({
    name: p.name,
    detect: (read, volume) => ((state.probing = true), p.detect(read, volume)),
    usedSpace: (read, volume) => ((state.probing = false), p.usedSpace(read, volume)),
  }));
}

/** The parts of `ranges` whose blocks were never tried, or are untrimmed or unscraped (work the engine still has). */
export function pendingRanges(map: StatusMap, ranges: readonly ByteRange[]): ByteRange[] {
  const work = new Set((["?", "*", "/"] as const).map(statusCode));
  const out: ByteRange[] = [];
  for (const r of ranges) {
    const end = r.start + r.length;
    map.scan((a, b, code) => {
      if (a >= end) return false;
      if (work.has(code)) {
        const s = Math.max(a, r.start);
        const e = Math.min(b, end);
        if (e > s) out.push({ start: s, length: e - s });
      }
    }, r.start);
  }
  return unionRanges(out);
}

/** Bytes of `ranges` the map marks finished. */
export function finishedBytes(map: StatusMap, ranges: readonly (readonly [number, number])[]): number {
  return ranges.reduce((n, [a, b]) => n + map.totals(a, b)["+"], 0);
}

export async function rescueUsedFirst(o: UsedFirstOptions): Promise<UsedFirstResult> {
  const size = o.map.end;
  const within = fromPairs(o.within.ranges);
  const count = o.usedOnly ? 2 : 3;
  const stage = (name: StageName, index: number, bytes: number): StageInfo => ({ stage: name, index, count, domainBytes: bytes });

  // Stage 1: parse, rescue what the parse needed, parse again. The first rounds stop the
  // parse at its first request for untried bytes: a parser probes places where its
  // filesystem may be (superblock copies, other magic numbers) before it knows, and a probe
  // that lands in a bad area must not be scraped and retried when the first place was right.
  // Later rounds take every request of a parse at once (all group headers, all bitmaps).
  let usage: DiskUsage | null = null;
  let metadata: ByteRange[] = [];
  let tried: ByteRange[] = [];
  let announced = false;
  const state = { probing: true };
  const parsers = watched(o.parsers ?? filesystemParsers, state);
  for (let round = 0; ; round++) {
    const last = round >= MAX_ROUNDS;
    const lazy = () => !last && (round < LAZY_ROUNDS || (state.probing && round < LAZY_PROBE_ROUNDS));
    const asked: ByteRange[] = [];
    state.probing = true;
    const onDisk = (offset: number, length: number): ByteRange => ({ start: Math.max(0, offset), length: Math.min(size, offset + length) - Math.max(0, offset) });
    const untried = (offset: number, length: number) => {
      const r = onDisk(offset, length);
      return r.length > 0 && subtractRanges(pendingRanges(o.map, toSectors([r], o.sector, size)), tried).length > 0;
    };
    const read = (offset: number, length: number) => {
      const bytes = o.readRescued(offset, length);
      if (bytes || length <= 0 || length > MAX_REQUEST) return bytes;
      if (asked.length < MAX_REQUESTS) asked.push(onDisk(offset, length));
      if (lazy() && untried(offset, length)) throw new ParseSuspended();
      return null;
    };
    // A primary copy not tried yet is rescued next round: a parser waits for it instead of
    // asking for its backups (which a bad primary would need, and then they are asked for).
    const reader: ReadBytes = Object.assign(read, { pending: untried });
    try {
      usage = findUsedSpace(reader, size, parsers);
    } catch (e) {
      if (!(e instanceof ParseSuspended)) throw e;
      usage = null;
    }
    metadata = intersectRanges(toSectors(unionRanges(asked, usage ? firstRanges(usage) : []), o.sector, size), within);
    if (last) break;
    const todo = subtractRanges(pendingRanges(o.map, metadata), tried);
    if (todo.length === 0 && usage) break;
    tried = unionRanges(tried, todo);
    const info = stage("metadata", 1, rangeBytes(metadata));
    if (!announced) o.onStage?.(info);
    announced = true;
    const r = await o.run(new Domain(toPairs(todo)), { ...info, probe: true });
    if (r.outcome !== "finished") return { ...r, usage, used: new Domain(toPairs(metadata)) };
  }
  if (!usage) throw new Error("used-first: the last parse was suspended");
  if (!announced) o.onStage?.(stage("metadata", 1, rangeBytes(metadata)));
  for (const n of usage.notes) o.onNote?.(n);

  // Stage 2: used data, metadata included (its bad areas are scraped and retried here, with
  // the whole strategy). Without any filesystem, everything is "used": the whole disk.
  let used: ByteRange[];
  if (usage.wholeDisk) {
    o.onNote?.("no filesystem could be read: rescuing the whole disk");
    used = within;
  } else {
    used = intersectRanges(toSectors(usedRanges(usage), o.sector, size), within);
  }
  const usedDomain = new Domain(toPairs(used));
  const info2 = { ...stage("used", 2, rangeBytes(used)), used: usedDomain };
  o.onStage?.(info2);
  if (used.length) {
    const r = await o.run(usedDomain, info2);
    if (r.outcome !== "finished") return { ...r, usage, used: usedDomain };
  }

  // Stage 3: free space.
  if (!o.usedOnly) {
    const rest = subtractRanges(within, used);
    const info3 = { ...stage("free", 3, rangeBytes(rest)), used: usedDomain };
    o.onStage?.(info3);
    if (rest.length) {
      const r = await o.run(new Domain(toPairs(rest)), info3);
      if (r.outcome !== "finished") return { ...r, usage, used: usedDomain };
    }
  }
  return { outcome: "finished", usage, used: usedDomain };
}
