// Second pass: text runs → whole files, using how FFS allocates. A file of more than one
// block has its full blocks block-aligned (mostly contiguous), and its last partial block
// as a run of fragments inside a partly used block, usually somewhere else; after 12 direct
// blocks comes an indirect block listing the rest. So inside a run a file can end unseen at
// any block boundary (the next file's body follows), and a body that ends on a block
// boundary without trailing NULs continues in a short NUL-ended run elsewhere (its tail).
// Each run is cut into block-aligned units; at every open end (a unit ending on a block
// boundary without NULs) the candidates are the next unit of the run and the tails of the
// same or a neighbouring cylinder group, scored by text continuity (continuity.ts); links
// are chosen greedily, best first. Indirect blocks found in free space give forced links.
import { continuity, plausible, WINDOW, windowOf, type Window } from "./continuity.ts";
import { indirectPointers, type RunGeometry, type TextRun } from "./text-runs.ts";

export interface Unit {
  id: number;
  /** First disk fragment and number of fragments. */
  start: number;
  count: number;
  /** Bytes of text in the unit (the last fragment may end in NULs). */
  bytes: number;
  nulEnd: boolean;
  /** The unit opens a run (nothing contiguous before it). */
  runStart: boolean;
  /** The next unit of the same run, if any. */
  next: Unit | null;
  head?: Window;
  tail?: Window;
  /** Chosen continuation, and why. */
  cont: Unit | null;
  link?: Link;
  hasPred: boolean;
  /** Score of continuing into `next`, when that was rejected (the cut's evidence). */
  cutScore?: number;
}

export interface Link {
  kind: "next" | "tail" | "indirect";
  score: number;
  reasons: string[];
  /** Runner-up continuation, kept for the report. */
  alternative?: { start: number; count: number; score: number };
}

export interface RecoveredFile {
  units: Unit[];
  complete: boolean;
  bytes: number;
  /** 0..1: how sure the joins and cuts that made this file are. */
  confidence: number;
  /** Where the file was cut from contiguous text (a likely file boundary), with the
   *  rejected alternative: the score of going on into the other side. */
  cuts: Array<{ side: "start" | "end"; fragment: number; score: number | null }>;
}

export interface ReassembleOptions {
  geo: RunGeometry;
  /** Fragments per cylinder group (tails are looked for near their body). */
  fpg: number;
  /** Read `count` fragments from disk fragment `frag`. */
  read(frag: number, count: number): Uint8Array;
  /** Is disk fragment f free and all zeros? (A run that stops at one ended its file.) */
  zeroAfter?(frag: number): boolean;
  indirectCandidates?: number[];
}

/** Continuing into the next unit of a run needs at least this; a tail needs TAIL_MIN.
 *  Measured on generated images (scripts/make-undelete-image.ts): true block-to-block
 *  continuations score above 2 in 98% of cases, a file followed by another below -3 in
 *  90%. The next unit is decided first, on its own: contiguity is itself evidence. */
const NEXT_MIN = 0;
const TAIL_MIN = 0.5;
/** Above this (the 10th percentile of true continuations) the next unit is taken without looking at tails. */
const NEXT_STRONG = 6;
/** Below it, a tail that scores this much better than the next unit wins. */
const TAIL_BETTER = 4;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function splitUnits(runs: TextRun[], geo: RunGeometry): Unit[] {
  const units: Unit[] = [];
  for (const r of runs) {
    let prev: Unit | null = null;
    for (let f = r.start; f < r.start + r.count; ) {
      const end = Math.min(r.start + r.count, (Math.floor(f / geo.frag) + 1) * geo.frag);
      const last = end === r.start + r.count;
      const u: Unit = {
        id: units.length, start: f, count: end - f, bytes: (end - f - (last ? 1 : 0)) * geo.fsize + (last ? r.endLength : 0),
        nulEnd: last && r.nulEnd, runStart: prev === null, next: null, cont: null, hasPred: false,
      };
      if (prev) prev.next = u;
      units.push(u);
      prev = u;
      f = end;
    }
  }
  return units;
}

export function reassemble(runs: TextRun[], o: ReassembleOptions): RecoveredFile[] {
  const { geo } = o;
  const units = splitUnits(runs, geo);
  const byStart = new Map<number, Unit>();
  const byEnd = new Map<number, Unit>();
  for (const u of units) {
    byStart.set(u.start, u);
    byEnd.set(u.start + u.count, u);
  }
  // A run that stops inside a block at a free fragment of zeros ended its file exactly on a
  // fragment boundary (the rest of the block was zero-filled). At a block boundary, zeros
  // after a body say nothing: its tail is elsewhere.
  if (o.zeroAfter) for (const u of units) if (!u.next && !u.nulEnd && (u.start + u.count) % geo.frag !== 0 && o.zeroAfter(u.start + u.count)) u.nulEnd = true;
  // Each window is made when first needed: a tail candidate needs only its head, an open
  // end only its tail (a window costs a read and a pass over up to WINDOW bytes).
  const headOf = (u: Unit): Window => {
    if (u.head) return u.head;
    const take = Math.min(u.count, Math.ceil(WINDOW / geo.fsize));
    const first = o.read(u.start, take).subarray(0, Math.min(u.bytes, take * geo.fsize));
    return (u.head = windowOf(first.subarray(0, WINDOW), true));
  };
  const tailOf = (u: Unit): Window => {
    if (u.tail) return u.tail;
    const take = Math.min(u.count, Math.ceil(WINDOW / geo.fsize));
    const lastFrag = Math.max(u.start, u.start + u.count - take);
    const lastBytes = o.read(lastFrag, u.start + u.count - lastFrag).subarray(0, u.bytes - (lastFrag - u.start) * geo.fsize);
    return (u.tail = windowOf(lastBytes.subarray(Math.max(0, lastBytes.length - WINDOW)), false));
  };

  // Forced links from indirect blocks: the blocks they list follow each other in the file.
  const forcedCut = new Set<Unit>();
  for (const at of o.indirectCandidates ?? []) {
    const ptrs = indirectPointers(o.read(at, geo.frag), geo);
    const before = byEnd.get(at);
    if (!ptrs || !before || before.nulEnd) continue;
    let prev = before;
    let ok = true;
    for (let k = 0; k < ptrs.length && ok; k++) {
      const u = byStart.get(ptrs[k]!);
      if (!u || u.hasPred && prev.next !== u) {
        ok = false;
        break;
      }
      if (!prev.cont) link(prev, u, { kind: prev.next === u ? "next" : "indirect", score: 100, reasons: [`listed by the indirect block at fragment ${at}`] });
      prev = u;
    }
    if (ok && prev.next && !prev.nulEnd) forcedCut.add(prev);
  }

  // Tail candidates: short runs ending in NULs, in address order (units are).
  const tails: Unit[] = [];
  for (const u of units) if (u.runStart && !u.next && u.nulEnd && u.count < geo.frag && !u.hasPred) tails.push(u);
  const isTail = new Set(tails);
  interface Pair { from: Unit; to: Unit; score: number; reasons: string[]; kind: "next" | "tail" }
  const pairs: Pair[] = [];
  const best = new Map<Unit, Pair[]>();
  // Windows are dropped as soon as nothing needs them: memory stays in proportion to the
  // open ends and tails (about the number of files), not to every block of text.
  const release = (u: Unit) => {
    if (!isTail.has(u)) u.head = undefined;
    if (u.cont) u.tail = undefined;
  };
  for (const u of units) {
    if (u.nulEnd || u.cont || forcedCut.has(u)) {
      release(u);
      continue;
    }
    if ((u.start + u.count) % geo.frag !== 0) continue; // mid-block: the file's data went on in the next fragment, now gone
    const end = tailOf(u);
    const mine: Pair[] = [];
    // Where the text clearly goes on into the next unit of the run, that is the link; only
    // at a weaker boundary are the tails looked at, and the next unit kept unless a tail
    // continues the text clearly better.
    let nextPair: Pair | null = null;
    if (u.next && !u.next.hasPred) {
      const v = continuity(end, headOf(u.next));
      nextPair = { from: u, to: u.next, score: v.score, reasons: v.reasons, kind: "next" };
      if (v.score >= NEXT_STRONG) {
        link(u, u.next, { kind: "next", score: v.score, reasons: v.reasons.slice(0, 3) });
        release(u);
        continue;
      }
      mine.push(nextPair);
    }
    for (const t of nearbyTails(tails, u, o.fpg)) {
      const start = headOf(t);
      if (!plausible(end, start)) continue;
      const v = continuity(end, start);
      if (v.score > -50) mine.push({ from: u, to: t, score: v.score, reasons: v.reasons, kind: "tail" });
    }
    mine.sort((a, b) => b.score - a.score);
    best.set(u, mine);
    if (nextPair) {
      const bestTail = mine.find((p) => p.kind === "tail");
      if (nextPair.score >= NEXT_MIN && !(bestTail && bestTail.score > nextPair.score + TAIL_BETTER)) {
        link(u, u.next!, { kind: "next", score: nextPair.score, reasons: nextPair.reasons.slice(0, 3), alternative: bestTail && { start: bestTail.to.start, count: bestTail.to.count, score: bestTail.score } });
        release(u);
        continue;
      }
      u.cutScore = nextPair.score;
    }
    release(u);
    pairs.push(...mine.filter((p) => p.kind === "tail").slice(0, 4));
  }
  pairs.sort((a, b) => b.score - a.score);
  for (const p of pairs) {
    if (p.from.cont || p.to.hasPred || p.score < TAIL_MIN) continue;
    const alt = best.get(p.from)!.find((q) => q !== p);
    link(p.from, p.to, { kind: p.kind, score: p.score, reasons: p.reasons.slice(0, 3), alternative: alt && { start: alt.to.start, count: alt.to.count, score: alt.score } });
  }

  const files: RecoveredFile[] = [];
  for (const u of units) {
    if (u.hasPred) continue;
    const chain: Unit[] = [];
    const seen = new Set<Unit>();
    let confidence = 1;
    const cuts: RecoveredFile["cuts"] = [];
    if (u.runStart === false && u.start > 0) {
      const before = byEnd.get(u.start);
      confidence = Math.min(confidence, cutConfidence(before));
      if (before) cuts.push({ side: "start", fragment: before.start + before.count - 1, score: before.cutScore ?? null });
    }
    for (let x: Unit | null = u; x && !seen.has(x); x = x.cont) {
      chain.push(x);
      seen.add(x);
      if (x.link) confidence = Math.min(confidence, linkConfidence(x.link));
      if (!x.cont && x.next && !x.nulEnd) {
        confidence = Math.min(confidence, cutConfidence(x));
        cuts.push({ side: "end", fragment: x.next.start, score: x.cutScore ?? null });
      }
    }
    const last = chain[chain.length - 1]!;
    files.push({ units: chain, complete: last.nulEnd, bytes: chain.reduce((s, x) => s + x.bytes, 0), confidence, cuts });
  }
  return files;
}

function link(from: Unit, to: Unit, l: Link): void {
  from.cont = to;
  from.link = l;
  to.hasPred = true;
}

function linkConfidence(l: Link): number {
  if (l.kind === "indirect" || l.score >= 100) return 0.99;
  const margin = l.score - Math.max(l.alternative?.score ?? -Infinity, l.kind === "next" ? NEXT_MIN : TAIL_MIN);
  return sigmoid(margin / 2);
}

function cutConfidence(u: Unit | undefined): number {
  if (!u || u.cutScore === undefined) return 0.9;
  return sigmoid((NEXT_MIN - u.cutScore) / 2 + 1);
}

/** Tails looked at per open end: the nearest by address, on either side. Bounds the work
 *  (a disk of nothing but short texts must not cost open ends × tails) and is FFS's own
 *  locality: the fragment allocator takes a tail's fragments near where the group is busy. */
const NEAR_TAILS = 128;

/** Up to NEAR_TAILS tails on each side of u, in its own or a neighbouring cylinder group. */
function nearbyTails(tails: Unit[], u: Unit, fpg: number): Unit[] {
  let lo = 0, hi = tails.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tails[mid]!.start < u.start) lo = mid + 1;
    else hi = mid;
  }
  const cg = Math.floor(u.start / fpg);
  const near = (t: Unit) => Math.abs(Math.floor(t.start / fpg) - cg) <= 1;
  return tails.slice(Math.max(0, lo - NEAR_TAILS), lo + NEAR_TAILS).filter(near);
}
