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

export function remainingEstimate(totals: Record<BlockStatus, number>, rate: number, noScrape: boolean, pace?: ScrapePace): string {
  const pendingBad = totals["*"] + (noScrape ? 0 : totals["/"]);
  if (totals["?"] === 0 && totals["*"] === 0 && pace && pace.msPerRead > 0 && !noScrape) {
    // Scraping reads each sector at most once, alone: an upper bound at the pace so far.
    return totals["/"] > 0 ? `at most ${formatDuration(((totals["/"] / pace.sector) * pace.msPerRead) / 1000)} at the current pace` : "0s";
  }
  if (totals["?"] === 0) return pendingBad > 0 ? "unknown (bad areas left to trim/scrape)" : "0s";
  if (rate <= 0) return "unknown (no rate yet)";
  const t = formatDuration(totals["?"] / rate);
  return pendingBad > 0 ? `${t} + bad areas (unknown)` : t;
}
