// Reading outwards from a known-good edge until the first bad sector: the one move that
// trimming, probing and scraping share. Every failed read here should classify a sector
// (mark it bad), because each bad sector costs one failed read in a full rescue anyway;
// a failed read that classifies nothing is pure overhead on a dying drive.
//
// Forwards, a source that returns partial data (a short read stops exactly at the damage)
// is read in clusters. A source that fails whole reads is read one sector at a time near
// the edge, where the bad sector is likely, and in doubling pieces once a long good run
// shows the edge is far (worthGrowing): a failed multi-sector read then costs one
// unclassified failure. Not inside a failed block (trimming): its bad sector is still
// ahead however long the run, so the pieces there come from the expected cost
// (backward-pieces.ts), which keeps forward reads at one sector.
// Backwards, one sector at a time near the edge, pieces where they pay (see readOnBackward).
import { backwardPiece } from "./backward-pieces.ts";
import type { RescueContext } from "./context.ts";

/**
 * Whether enough time went into good one-sector reads to risk a larger read that may
 * fail without classifying anything: once they cost as much as GROW_AFTER_FAILS failed
 * reads. A failed piece costs that failure and then the single reads inside it anyway,
 * so growing pays only on long good runs; and a failed read also wears the drive.
 * Without a failed read seen yet, after 256 sectors; when failed reads are too fast to be
 * timed, after MIN_SINGLES.
 */
export function worthGrowing(ctx: RescueContext, goodReads: number, spentMs: number): boolean {
  if (goodReads < MIN_SINGLES) return false;
  if (ctx.failMs === 0) return goodReads >= 256;
  // A failed read faster than a drive's error recovery (a cache, a simulator that keeps
  // virtual time): its timing says nothing, and comparing it would make the run depend on
  // the machine's load. Then the count alone decides.
  return ctx.failMs < TIMED_FAIL_MS || spentMs >= GROW_AFTER_FAILS * ctx.failMs;
}

/** A failed read faster than this (ms) carries no timing information. */
const TIMED_FAIL_MS = 1;

const GROW_AFTER_FAILS = 4;
/** Never fewer good single reads than this before growing (timings of fast sources are noise). */
const MIN_SINGLES = 64;

/**
 * Read [from, limit) forwards until the first bad sector. Returns the position after the
 * bad sector that stopped it (it is marked bad), or `limit`. `failedBlock`: [from, limit)
 * is the span of a failed read (the leading edge of a block being trimmed), so the rest
 * still holds a bad sector however long the good run so far: a long run says nothing about
 * the edge being far, and a larger read there fails often, without classifying anything.
 * Reads then come from backward-pieces.ts as well, with a forward one-sector read (no seek)
 * as the unit of cost: one sector at a time, unless the block is huge.
 */
export async function readOnForward(ctx: RescueContext, from: number, limit: number, failedBlock = false): Promise<number> {
  let p = from;
  let goodReads = 0;
  let spentMs = 0;
  let len = 0;
  /** With failedBlock, the edge lies in [p, bound): above it, a failed piece's bad sector. */
  let bound = limit;
  // One sector at a time until a read succeeds: at first, because the sector next to the
  // edge is the likeliest bad one (unless a failed read classifies its first sector
  // anyway), and after a failure that classified nothing.
  let careful = !ctx.perSectorErrors;
  while (p < limit) {
    const one = ctx.firstSectorEnd(p, limit - p) - p;
    if (ctx.partialReads && !careful) len = Math.min(ctx.options.cluster, limit - p);
    else if (failedBlock) {
      const sectors = backwardPiece(Math.ceil((bound - p) / ctx.sector), failedReadInReads(ctx, goodReads, spentMs, FAIL_IN_FORWARD_READS));
      len = Math.min(limit - p, one + (sectors - 1) * ctx.sector);
    }
    else if (worthGrowing(ctx, goodReads, spentMs)) len = Math.min(ctx.options.cluster, limit - p, Math.max(one, len * 2));
    else len = one;
    const n = ctx.read(p, len);
    await ctx.step();
    if (n === len) {
      // The first read pays the seek to the edge: what reading on costs (the unit the
      // pieces of a failed block are sized by) is measured on the reads after it. Counted
      // with the seek, a failed read looked worth 25 reads, not thousands, and the pieces
      // grew to 15 sectors: one failed read more at half the edges, without classifying
      // anything.
      if (p !== from) {
        goodReads++;
        spentMs += ctx.lastReadMs;
      }
      p += n;
      // Past a failed piece's end without a failure: its bad sector was weak.
      if (p >= bound) bound = limit;
      careful = false;
      continue;
    }
    if (n > 0) {
      p += n;
      if (ctx.stopSectorBad) return ctx.firstSectorEnd(p, limit - p);
    } else if (ctx.firstSectorBad) return ctx.firstSectorEnd(p, limit - p);
    // Nothing classified (a multi-sector read failed whole, or a page-granular stop):
    // back to single sectors from here; the edge lies inside that read.
    bound = p + len;
    goodReads = 0;
    spentMs = 0;
    len = 0;
    careful = true;
  }
  return limit;
}

/**
 * Read [limit, from) backwards until the first bad sector. Returns the start of that bad
 * sector (it is marked bad), or `limit`. A backward read that starts on a bad sector fails
 * whole, so near the edge every read is one sector; each one costs a seek (the head
 * cannot read backwards). `failedBlock`: [limit, from) is the span of a failed read (a
 * block being trimmed), so it holds a bad sector, each place as likely as another; the
 * size of each read then comes from backward-pieces.ts. Otherwise (reading out of a
 * readable island, where the edge is likely near) one sector at a time until those reads
 * have cost as much as a failed read, then pieces that double. A failed piece (one
 * unclassified failure) narrows the search to itself.
 */
export async function readOnBackward(ctx: RescueContext, from: number, limit: number, failedBlock = false): Promise<number> {
  const ss = ctx.sector;
  let p = from;
  let sectors = 1;
  let goodReads = 0;
  let spentMs = 0;
  /** Right above a sector a read proved bad (or the limit): the search never goes below. */
  let floor = limit;
  /** The edge lies in [bound, p): below it, a failed piece's bad sector. */
  let bound = limit;
  while (p > floor) {
    if (failedBlock) sectors = backwardPiece(Math.ceil((p - Math.max(bound, floor)) / ss), failedReadInReads(ctx, goodReads, spentMs, FAIL_IN_SEEKS));
    // Sector-aligned, so an unaligned block end is read as one short piece.
    const a = Math.max(floor, Math.ceil(p / ss) * ss - sectors * ss);
    const n = ctx.read(a, p - a);
    await ctx.step();
    if (n === p - a) {
      p = a;
      goodReads++;
      spentMs += ctx.lastReadMs;
      // Down to a failed piece's bottom without a failure: its bad sector was weak.
      if (p <= bound) bound = limit;
      if (!failedBlock && worthGrowing(ctx, goodReads, spentMs)) sectors = Math.min(sectors * 2, Math.max(1, Math.floor(ctx.options.cluster / ss)));
      continue;
    }
    if (sectors > 1 || p - a > ss) {
      // Go over this piece again, down to its first sector if the failed read proved that
      // one bad (a source that reports errors per sector), or down to where a short read
      // stopped at a sector it proved bad.
      if (ctx.firstSectorBad) floor = ctx.firstSectorEnd(a, p - a);
      else if (n > 0 && ctx.stopSectorBad) floor = ctx.firstSectorEnd(a + n, p - a - n);
      bound = n > 0 ? a + n : a;
      sectors = 1;
      goodReads = 0;
      spentMs = 0;
      continue;
    }
    // A one-sector read that failed proves that sector bad; a short one proves the rest.
    const bad = n > 0 ? a + n : a;
    ctx.map.set(bad, p - bad, "-");
    return bad;
  }
  // Stopped above a sector a failed piece proved bad: that is the edge.
  return floor > limit ? floor - ctx.sector : limit;
}

/**
 * What a failed read costs, counted in the one-sector reads made so far in this direction
 * (their mean time, once failed reads are timed and some reads were made), else `guess`.
 * The cost ratio that backward-pieces.ts sizes the pieces of a failed block by.
 */
function failedReadInReads(ctx: RescueContext, goodReads: number, spentMs: number, guess: number): number {
  if (ctx.failMs < TIMED_FAIL_MS || goodReads === 0 || spentMs <= 0) return guess;
  return ctx.failMs / (spentMs / goodReads);
}

/** A drive's failed read (0.2 s or more) against a backward read: a seek and a rotation (8 ms). */
const FAIL_IN_SEEKS = 25;

/**
 * A drive's failed read (0.2 s or more) against a forward one-sector read: no seek, only a
 * command's overhead (well under a millisecond). Pieces then pay only in blocks of
 * thousands of sectors.
 */
const FAIL_IN_FORWARD_READS = 1000;
