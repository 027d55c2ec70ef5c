// Score an undelete run against the originals of scripts/make-undelete-image.ts, by content only:
//   whole   a recovered file has the original's SHA-256;
//   merged  a recovered file contains the whole original and more;
//   partial some fragment-sized chunk of the original is in a recovered file;
//   none    nothing of it came back.
// Wrong-joined bytes: in each recovered file, the 1 KiB chunks (fragment-aligned, as pieces
// are) that belong to another deleted file than the one it mostly holds.
//   bun scripts/score-undelete.ts IMAGEDIR OUTDIR [--all]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { makeCorpus, sha256hex, type CorpusFile } from "./undelete-corpus.ts";
import type { Manifest } from "./make-undelete-image.ts";

export interface Score {
  files: number;
  intact: number;
  whole: number;
  merged: number;
  partial: number;
  none: number;
  recoveredBytes: number;
  wrongJoinedBytes: number;
  /** Names of scored files that did not come back whole, with their state. */
  missed: Array<{ name: string; kind: string; bytes: number; state: string }>;
}

const CHUNK = 1024;
const key = (b: Uint8Array) => sha256hex(b).slice(0, 24);

/** Corpus of a manifest, regenerated from its seed and checked file by file against the recorded SHA-256. */
export function corpusOf(m: Manifest): CorpusFile[] {
  const corpus = makeCorpus(m.count, m.seed, m.junk ?? 0.35, m.scale ?? 1);
  corpus.forEach((f, i) => {
    if (sha256hex(f.bytes) !== m.files[i]?.sha256) throw new Error(`${f.name}: generator output differs from the manifest (generator changed?)`);
  });
  return corpus;
}

export function score(pieces: Uint8Array[], corpus: CorpusFile[], m: Manifest, scoredOnly = true): Score {
  const owner = new Map<string, number>();
  corpus.forEach((f, i) => {
    if (f.kind === "binary" || f.kind === "uniform") return;
    for (let at = 0; at < f.bytes.length; at += CHUNK) {
      const k = key(f.bytes.subarray(at, at + CHUNK));
      if (!owner.has(k)) owner.set(k, i);
    }
  });
  const bySha = new Set(pieces.map(sha256hex));
  const seen = new Set<number>();
  let wrong = 0;
  let total = 0;
  const joined = Buffer.concat(pieces.map((p) => Buffer.concat([Buffer.from(p), Buffer.from([0])])));
  for (const p of pieces) {
    total += p.length;
    const counts = new Map<number, number>();
    const chunks: Array<[number, number]> = [];
    for (let at = 0; at < p.length; at += CHUNK) {
      const o = owner.get(key(p.subarray(at, at + CHUNK)));
      const n = Math.min(CHUNK, p.length - at);
      if (o === undefined) continue;
      seen.add(o);
      chunks.push([o, n]);
      counts.set(o, (counts.get(o) ?? 0) + n);
    }
    let main = -1;
    for (const [o, n] of counts) if (main < 0 || n > counts.get(main)!) main = o;
    for (const [o, n] of chunks) if (o !== main) wrong += n;
  }
  const s: Score = { files: 0, intact: 0, whole: 0, merged: 0, partial: 0, none: 0, recoveredBytes: total, wrongJoinedBytes: wrong, missed: [] };
  corpus.forEach((f, i) => {
    if (scoredOnly ? !f.scored : f.kind === "binary" || f.kind === "uniform") return;
    s.files++;
    if (m.files[i]!.intact) s.intact++;
    let state: string;
    if (bySha.has(sha256hex(f.bytes))) state = "whole";
    else if (joined.includes(Buffer.from(f.bytes))) state = "merged";
    else state = seen.has(i) ? "partial" : "none";
    s[state as "whole" | "merged" | "partial" | "none"]++;
    if (state !== "whole") s.missed.push({ name: f.name, kind: f.kind, bytes: f.bytes.length, state: m.files[i]!.intact ? state : `${state} (not intact on disk)` });
  });
  return s;
}

/** The recovered files of an undelete OUTDIR (everything but its reports). */
export function readPieces(outdir: string): Uint8Array[] {
  return readdirSync(outdir)
    .filter((n) => !n.startsWith("report") && !n.startsWith(".") && statSync(join(outdir, n)).isFile())
    .map((n) => new Uint8Array(readFileSync(join(outdir, n))));
}

export function scoreLine(s: Score): string {
  const pct = s.recoveredBytes ? ((100 * s.wrongJoinedBytes) / s.recoveredBytes).toFixed(2) : "0";
  return `${s.whole}/${s.files} whole (${s.intact} intact on disk), ${s.merged} merged, ${s.partial} partial, ${s.none} none; ${s.wrongJoinedBytes} of ${s.recoveredBytes} recovered bytes wrong-joined (${pct}%)`;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { all: { type: "boolean" }, verbose: { type: "boolean", short: "v" } } });
  const [imageDir, outdir] = positionals;
  if (!imageDir || !outdir) throw new Error("usage: bun scripts/score-undelete.ts IMAGEDIR OUTDIR [--all] [-v]");
  const m = JSON.parse(readFileSync(join(imageDir, "manifest.json"), "utf8")) as Manifest;
  const s = score(readPieces(outdir), corpusOf(m), m, !values.all);
  console.log(scoreLine(s));
  if (values.verbose) for (const x of s.missed) console.log(`  ${x.state.padEnd(8)} ${x.name} ${x.kind} ${x.bytes}`);
}
