// Rates and the remaining-time estimate. The estimate is honest: it covers only what a
// rate can predict (untried bytes at the recent good-data rate) and says so when bad
// areas still wait for trimming or scraping, whose cost depends on how the drive fails.
import type { BlockStatus } from "../../rescue/mapfile/status.ts";

/** Bytes/s over the last second and over a sliding 30 s window. */
export class RateMeter {
  private samples: Array<[t: number, bytes: number]> = [];

  sample(t: number, bytes: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && t - last[0] < 250) return;
    this.samples.push([t, bytes]);
    while (this.samples.length > 2 && t - this.samples[0]![0] > 30_000) this.samples.shift();
  }

  private over(windowMs: number): number {
    const last = this.samples[this.samples.length - 1];
    if (!last) return 0;
    let first = this.samples[0]!;
    for (const s of this.samples) if (last[0] - s[0] <= windowMs) { first = s; break; }
    const dt = last[0] - first[0];
    return dt > 0 ? ((last[1] - first[1]) * 1000) / dt : 0;
  }

  current(): number {
    return this.over(1500);
  }

  recent(): number {
    return this.over(30_000);
  }
}

export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return "n/a";
  const t = Math.max(0, Math.round(s));
  const d = Math.floor(t / 86400);
  const h = Math.floor((t % 86400) / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${sec}s`;
  return `${sec}s`;
}

/** Time per read observed in the scraping phase, to bound what is left of it. */
export interface ScrapePace {
  msPerRead: number;
  sector: number;
}

/**
 * What is left, as far as it can be priced. `seconds`: the untried bytes at the recent
 * rate ("estimate"), or, once only scraping is left, an upper bound at its pace so far
 * ("at-most"); null when nothing can be said. `unpriced`: bad areas still wait for trimming
 * or scraping, whose cost depends on how the drive fails, and `seconds` leaves them out.
 */
export interface Remaining {
  kind: "done" | "estimate" | "at-most" | "unknown";
  seconds: number | null;
  unpriced: boolean;
  /** Why there is no figure ("no rate yet", "bad areas left to trim/scrape"). */
  why?: string;
}

export function estimateRemaining(totals: Record<BlockStatus, number>, rate: number, noScrape: boolean, pace?: ScrapePace): Remaining {
  const pendingBad = totals["*"] + (noScrape ? 0 : totals["/"]);
  if (totals["?"] === 0 && totals["*"] === 0 && pace && pace.msPerRead > 0 && !noScrape) {
    // Scraping reads each sector at most once, alone: an upper bound at the pace so far.
    if (totals["/"] === 0) return { kind: "done", seconds: 0, unpriced: false };
    return { kind: "at-most", seconds: ((totals["/"] / pace.sector) * pace.msPerRead) / 1000, unpriced: false };
  }
  if (totals["?"] === 0) return pendingBad > 0 ? { kind: "unknown", seconds: null, unpriced: true, why: "bad areas left to trim/scrape" } : { kind: "done", seconds: 0, unpriced: false };
  if (rate <= 0) return { kind: "unknown", seconds: null, unpriced: pendingBad > 0, why: "no rate yet" };
  return { kind: "estimate", seconds: totals["?"] / rate, unpriced: pendingBad > 0 };
}

/** The long form, for logs: says what the figure leaves out. */
export function remainingText(r: Remaining): string {
  if (r.kind === "done") return "0s";
  if (r.kind === "unknown") return `unknown (${r.why})`;
  const t = formatDuration(r.seconds!);
  if (r.kind === "at-most") return r.seconds! < 0.5 ? "less than 1s at the current pace" : `at most ${t} at the current pace`;
  return r.unpriced ? `${t} + bad areas (unknown)` : t;
}

/** The short form, for a column of the status screen ("n/a" as ddrescue says it). */
export function remainingShort(r: Remaining): string {
  if (r.kind === "done") return "0s";
  if (r.kind === "unknown") return "n/a";
  const t = formatDuration(r.seconds!);
  if (r.kind === "at-most") return r.seconds! < 0.5 ? "< 1s" : `<= ${t}`;
  return r.unpriced ? `${t} + bad` : t;
}

export function remainingEstimate(totals: Record<BlockStatus, number>, rate: number, noScrape: boolean, pace?: ScrapePace): string {
  return remainingText(estimateRemaining(totals, rate, noScrape, pace));
}
