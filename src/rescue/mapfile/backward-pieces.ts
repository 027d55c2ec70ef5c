// How many sectors to read at once when trimming a failed block from its trailing edge.
//
// Backward reading costs a seek per read (the head cannot read backwards), and the block
// is known to hold a bad sector (its read failed), each place as likely as another. One
// sector per read never fails without classifying a sector, but pays a seek for every
// good sector before the edge: on average half the block. A piece of several sectors
// pays one seek for all of them, but when the edge lies inside it, the read fails without
// classifying anything (a failed read costs as much as `ratio` seeks) and the edge must
// then be found inside the piece. Which piece size is best for a range of R sectors
// follows from the expected cost of each choice:
//   C(1) = 0 (the edge is the next sector: reading it is the failed read every edge costs)
//   C(R) = min( (R-1)/R · (1 + C(R-1)),                          one sector
//               min over k of (R-k)/R · (1 + C(R-k)) + k/R · (ratio + C(k)) )   a piece
// solved once per ratio (a table of MAX_RANGE entries). With a failed read worth 25 seeks,
// a 128-sector block costs 31 seeks on average instead of 63.5 one sector at a time.

/** Ranges up to this many sectors are solved exactly; beyond it the piece grows as √R. */
const MAX_RANGE = 1024;

const tables = new Map<number, Uint16Array>();

/**
 * Sectors to read next, when the edge lies somewhere in the `range` sectors below the
 * current position and a failed read costs as much as `ratio` one-sector reads.
 */
export function backwardPiece(range: number, ratio: number): number {
  if (range <= 1) return 1;
  // Quarter steps of log2: a measured ratio that drifts solves a few tables, not hundreds.
  const r = Math.round(2 ** (Math.round(4 * Math.log2(Math.max(1, Math.min(1000, ratio)))) / 4));
  let best = tables.get(r);
  if (!best) tables.set(r, (best = solve(r)));
  if (range <= MAX_RANGE) return best[range]!;
  return Math.max(1, Math.round(best[MAX_RANGE]! * Math.sqrt(range / MAX_RANGE)));
}

/** best[R]: the piece size that minimises the expected cost C(R) above. */
function solve(ratio: number): Uint16Array {
  const cost = new Float64Array(MAX_RANGE + 1);
  const best = new Uint16Array(MAX_RANGE + 1);
  best[1] = 1;
  for (let R = 2; R <= MAX_RANGE; R++) {
    let c = ((R - 1) / R) * (1 + cost[R - 1]!);
    let k = 1;
    for (let j = 2; j < R; j++) {
      const cj = ((R - j) / R) * (1 + cost[R - j]!) + (j / R) * (ratio + cost[j]!);
      if (cj < c) {
        c = cj;
        k = j;
      }
    }
    cost[R] = c;
    best[R] = k;
  }
  return best;
}
