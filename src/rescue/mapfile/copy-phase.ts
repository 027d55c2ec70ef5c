// Copying: good data first. Pass 1 reads whole clusters in the main direction and, on an
// error (or a slow read with --min-read-rate), jumps ahead by a skip that grows while
// errors continue, leaving the jumped-over space untried. Pass 2 comes back over the
// untried space that touches good data on the other side and stops each area at its
// first error, so both edges of every bad area are approached from good data. A failed
// multi-sector read marks its span non-trimmed: trimming and scraping, not copying,
// decide which sectors are bad (except where a short read stopped, see context.ts).
// Pass 3 (probe-pass.ts) runs after trimming: the edges of bad areas next to good data
// are cheaper data than the untried gaps between failures.
import { nextWork, type Direction } from "./domain.ts";
import type { RescueContext } from "./context.ts";
import { chunkAt, copyChunk } from "./chunk.ts";
import { skippingPass } from "./skipping-pass.ts";

/** Copy passes before trimming; pass 3 (probing) comes after it. */
export const COPY_PASSES = 2;

export async function copyPhase(ctx: RescueContext, firstPass = 1, resumePos?: number): Promise<void> {
  const main: Direction = ctx.options.reverse ? -1 : 1;
  for (let pass = firstPass; pass <= COPY_PASSES; pass++) {
    if (!ctx.options.copyPasses.includes(pass)) continue;
    const pos = pass === firstPass ? resumePos : undefined;
    const dir: Direction = pass === 2 && !ctx.options.unidirectional ? (-main as Direction) : main;
    ctx.emit({ type: "phase", phase: "copying", status: "?", pass, direction: dir > 0 ? "forwards" : "backwards", message: `Copying non-tried blocks... Pass ${pass} (${dir > 0 ? "forwards" : "backwards"})` });
    if (pass === 1) await skippingPass(ctx, dir, pos);
    else await edgePass(ctx, dir, pos);
  }
}


/**
 * Read each untried area that touches good data on its far side, from there back towards
 * the main direction, and stop it at its first error. Areas between two failures are
 * left to the probe pass: reading them from either end would only hit bad sectors.
 */
async function edgePass(ctx: RescueContext, dir: Direction, resume?: number): Promise<void> {
  let pos = resume ?? (dir > 0 ? 0 : ctx.map.end);
  for (;;) {
    const r = nextWork(ctx.map, ctx.domain, "?", pos, dir);
    if (!r) break;
    const [s, e] = r;
    pos = dir > 0 ? Math.max(pos, s) : Math.min(pos, e);
    const from = dir > 0 ? s : e;
    if (pos === from && !touchesGood(ctx, from, dir)) {
      pos = dir > 0 ? e : s;
      continue;
    }
    const [a, b] = chunkAt(ctx, pos, dir, s, e);
    ctx.at("?", 2, dir > 0 ? a : b);
    const ok = copyChunk(ctx, a, b);
    // On error, leave the rest of this untried area for the probe pass and go on past it.
    pos = ok ? (dir > 0 ? b : a) : dir > 0 ? e : s;
    await ctx.step();
  }
}

/** Statuses of a neighbour across a domain gap that say a bad area reaches the gap. */
const AREA_GOES_ON = new Set(["-", "/", "?"]);

/**
 * Is the byte just outside `edge` (on the side we come from) finished, or the end of the
 * source? Outside the domain it counts as good with domainEdgeGood (a --domain map's edge
 * is the user's). Without it (rescue --used-first, whose range boundaries say nothing
 * about the disk), unless the nearest domain byte across the gap, at most a bad area's
 * width away, is a bad sector, the inside of a trimmed block, or untried between failures:
 * then the area most likely runs through the gap, and a read at this edge would only fail
 * again (aged ext4: a used range lying wholly inside a bad area paid 5 failed reads, its
 * edges read as if good data lay beyond; now 1-2). A failed read's block that is not
 * trimmed yet says only that its bad sectors are somewhere in it: next to one the area
 * goes on only where the bad areas measured so far are wider than the gap. Before any is
 * measured (small defects) the edge is read: in vain it costs a failed read or two, but left
 * unread wrongly, the good data behind it waits for scraping (FAT: two small defects in
 * metadata pieces 3 sectors apart, each taken for the other's area: 2x the time to all used
 * data). `acrossGap` false: only good data the map shows next to the edge counts.
 */
export function touchesGood(ctx: RescueContext, edge: number, dir: Direction, acrossGap = true): boolean {
  const outside = dir > 0 ? edge - 1 : edge;
  if (outside < 0 || outside >= ctx.map.end) return true;
  if (ctx.domain.contains(outside)) return ctx.map.statusAt(outside) === "+";
  if (ctx.options.domainEdgeGood) return true;
  if (!acrossGap) return false;
  const across = ctx.domain.nextInside(edge, dir > 0 ? -1 : 1);
  if (across === null) return true;
  const gap = Math.abs(edge - across);
  if (gap > Math.max(ctx.options.cluster, ctx.largestArea)) return true;
  const beyond = ctx.map.statusAt(dir > 0 ? across - 1 : across)!;
  return beyond === "*" ? gap >= ctx.largestArea : !AREA_GOES_ON.has(beyond);
}
