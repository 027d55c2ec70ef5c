// `simulate score`: compare a rescued copy with the original, byte by byte, per damage
// class. Wrong bytes (neither the original nor "nothing") are the worst outcome a rescue
// tool can have, so they get their own count and the first offset.
import { closeSync, openSync, readSync } from "node:fs";
import type { DamageModel } from "./model.ts";

export type ScoreClass = "good" | "weak" | "bad";
export interface ClassScore {
  total: number;
  recovered: number;
  missed: number;
  wrong: number;
}

export interface Score {
  size: number;
  classes: Record<ScoreClass, ClassScore>;
  /** Offset of the first wrong byte, or null. */
  firstWrong: number | null;
  /** Bytes the rescued file lacks at its end (counted as missed). */
  shortBy: number;
}

const CHUNK = 4 << 20;

function classOf(kind: string): ScoreClass {
  return kind === "weak" ? "weak" : kind === "bad" || kind === "soft" ? "bad" : "good";
}

/**
 * A byte is recovered if it equals the original, missed if it is zero (the original has no
 * zeros), lies past the end of the rescued file, or is part of the marker text the tool
 * writes over unreadable areas (`marker`), and wrong otherwise.
 */
export function scoreFiles(image: string, rescued: string, model: DamageModel, marker?: string): Score {
  const zero = (): ClassScore => ({ total: 0, recovered: 0, missed: 0, wrong: 0 });
  const classes: Record<ScoreClass, ClassScore> = { good: zero(), weak: zero(), bad: zero() };
  const a = openSync(image, "r");
  const b = openSync(rescued, "r");
  const mark = marker ? new TextEncoder().encode(marker) : null;
  const orig = new Uint8Array(CHUNK);
  // the rescued chunk plus room to see a marker that crosses the chunk's end
  const copy = new Uint8Array(CHUNK + (mark?.length ?? 0));
  let firstWrong: number | null = null;
  let shortBy = 0;
  let size = 0;
  let markedUntil = 0; // absolute offset up to which bytes are marker text
  let ext = 0;
  const ss = model.sectorSize;
  try {
    for (let off = 0; ; off += CHUNK) {
      const n = readSync(a, orig, 0, CHUNK, off);
      if (n === 0) break;
      size += n;
      const m = readSync(b, copy, 0, n + (mark?.length ?? 0), off);
      for (let i = 0; i < n; i++) {
        const pos = off + i;
        while (ext < model.extents.length && (model.extents[ext]!.first + model.extents[ext]!.count) * ss <= pos) ext++;
        const e = model.extents[ext];
        const cls = classes[e && e.first * ss <= pos ? classOf(e.kind) : "good"];
        cls.total++;
        if (i >= m) {
          cls.missed++;
          shortBy++;
          continue;
        }
        const got = copy[i]!;
        // marker text first: inside it a byte may equal the original by chance (1 in 255)
        if (mark && pos >= markedUntil && got === mark[0]) markedUntil = markerRunEnd(copy, i, m, mark, pos);
        if (pos < markedUntil) {
          cls.missed++;
          continue;
        }
        if (got === orig[i]) {
          cls.recovered++;
          continue;
        }
        if (got === 0) cls.missed++;
        else {
          cls.wrong++;
          firstWrong ??= pos;
        }
      }
    }
  } finally {
    closeSync(a);
    closeSync(b);
  }
  return { size, classes, firstWrong, shortBy };
}

/** If a whole marker starts at copy[i], the absolute end of the marker run there (whole
 *  copies, then a truncated one, as safecopy writes it); else `pos` (no marker). */
function markerRunEnd(copy: Uint8Array, i: number, m: number, mark: Uint8Array, pos: number): number {
  let j = i;
  for (;;) {
    let k = 0;
    while (k < mark.length && j + k < m && copy[j + k] === mark[k]) k++;
    if (k === mark.length) {
      j += k;
      continue;
    }
    // a truncated last copy counts only after at least one whole copy
    return j > i ? pos + (j - i) + k : pos;
  }
}

export function formatScore(s: Score): string {
  const rows = (["good", "weak", "bad"] as const).map((c) => {
    const v = s.classes[c];
    return `${c.padEnd(6)}${String(v.total).padStart(14)}${String(v.recovered).padStart(14)}${String(v.missed).padStart(14)}${String(v.wrong).padStart(14)}`;
  });
  const wrong = s.classes.good.wrong + s.classes.weak.wrong + s.classes.bad.wrong;
  const lines = [`${"class".padEnd(6)}${"bytes".padStart(14)}${"recovered".padStart(14)}${"missed".padStart(14)}${"WRONG".padStart(14)}`, ...rows];
  if (s.shortBy) lines.push(`the rescued copy is ${s.shortBy} bytes shorter than the image (counted as missed)`);
  lines.push(
    wrong > 0
      ? `WRONG DATA: ${wrong} bytes differ from the original and are not a gap (first at byte ${s.firstWrong})`
      : "no wrong bytes",
  );
  return lines.join("\n") + "\n";
}
