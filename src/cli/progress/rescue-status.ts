// What the user sees during `salvage rescue`: a live status block on a tty (redrawn once
// a second), a plain line every few seconds when stderr is not a tty, or one JSON event
// per line on stdout with --json. It only reads the engine's state; it never drives it.
import type { RescueContext } from "../../rescue/mapfile/context.ts";
import type { RescueEvent } from "../../rescue/mapfile/events.ts";
import { humanBytes } from "../../util/units.ts";
import { formatDuration, RateMeter, remainingEstimate, type ScrapePace } from "./rate.ts";

export type StatusMode = "tty" | "plain" | "json" | "quiet";

export interface StatusSnapshot {
  rescued: number;
  domain: number;
  pct: number;
  nonTried: number;
  nonTrimmed: number;
  nonScraped: number;
  badSector: number;
  badAreas: number;
  readErrors: number;
  currentRate: number;
  averageRate: number;
  runTimeS: number;
  sinceGoodS: number;
  remaining: string;
  phase: string;
}

export class RescueStatusView {
  private lastDraw = 0;
  private drawnLines = 0;
  private phase = "Copying non-tried blocks... Pass 1 (forwards)";
  private readonly meter = new RateMeter();
  /** Clock and read count when scraping began (for its pace). */
  private scrapeStart: { t: number; reads: number } | null = null;
  private readonly intervalMs: number;

  constructor(
    readonly mode: StatusMode,
    private readonly out: { write(s: string): unknown; columns?: number } = mode === "json" ? process.stdout : process.stderr,
  ) {
    this.intervalMs = mode === "plain" ? 10_000 : 1000;
  }

  onEvent(e: RescueEvent, ctx: RescueContext): void {
    if (e.type === "phase") {
      this.phase = e.message;
      this.scrapeStart = e.phase === "scraping" ? { t: ctx.now(), reads: ctx.counters.reads } : null;
      if (this.mode === "json") this.json({ event: "phase", phase: e.phase, pass: e.pass, direction: e.direction, message: e.message });
      else if (this.mode === "plain") this.out.write(`${e.message}\n`);
      else if (this.mode === "tty") this.draw(ctx, true);
    } else if (e.type === "read" && e.result < 0 && this.mode === "json") {
      this.json({ event: "read-error", pos: e.pos, size: e.size, errno: -e.result });
    } else if (e.type === "stop" || e.type === "finished") {
      this.draw(ctx, true);
      if (this.mode === "json") this.json({ event: e.type, ...(e.type === "stop" ? { reason: e.reason } : { message: e.message }) });
    }
  }

  /** Called between reads; redraws at most once per interval. */
  tick(ctx: RescueContext): void {
    const t = performance.now();
    if (t - this.lastDraw >= this.intervalMs) this.draw(ctx, false);
  }

  snapshot(ctx: RescueContext): StatusSnapshot {
    const totals = ctx.map.totals();
    const domain = ctx.domain.size;
    const c = ctx.counters;
    const t = ctx.now();
    this.meter.sample(t, c.bytesRead);
    const rescued = totals["+"];
    return {
      rescued,
      domain,
      // Of the domain (a -m map, a --used-first stage), not of the whole map.
      pct: domain > 0 ? (100 * (domain === ctx.map.end ? rescued : ctx.domain.ranges.reduce((n, [a, b]) => n + ctx.map.totals(a, b)["+"], 0))) / domain : 100,
      nonTried: totals["?"],
      nonTrimmed: totals["*"],
      nonScraped: totals["/"],
      badSector: totals["-"],
      badAreas: ctx.map.badAreas(),
      readErrors: c.failedReads,
      currentRate: this.meter.current(),
      averageRate: t > c.startedAt ? (c.bytesRead * 1000) / (t - c.startedAt) : 0,
      runTimeS: (t - c.startedAt) / 1000,
      sinceGoodS: (t - c.lastGoodAt) / 1000,
      remaining: remainingEstimate(totals, this.meter.recent(), ctx.options.noScrape, this.scrapePace(ctx, t)),
      phase: this.phase,
    };
  }

  private scrapePace(ctx: RescueContext, t: number): ScrapePace | undefined {
    const s = this.scrapeStart;
    const reads = s ? ctx.counters.reads - s.reads : 0;
    return s && reads > 0 ? { msPerRead: (t - s.t) / reads, sector: ctx.sector } : undefined;
  }

  private draw(ctx: RescueContext, force: boolean): void {
    if (this.mode === "quiet") return;
    const t = performance.now();
    if (!force && t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    const s = this.snapshot(ctx);
    if (this.mode === "json") return this.json({ event: "status", ...s });
    if (this.mode === "plain") {
      this.out.write(`rescued ${humanBytes(s.rescued)} (${s.pct.toFixed(2)}%), bad areas ${s.badAreas}, read errors ${s.readErrors}, rate ${humanBytes(s.currentRate)}/s (average ${humanBytes(s.averageRate)}/s), remaining ${s.remaining}\n`);
      return;
    }
    const b = (n: number) => humanBytes(n).padStart(10);
    const n = (v: number) => String(v).padStart(10);
    const d = (sec: number) => formatDuration(sec).padStart(10);
    // At most 76 columns: a line that wraps would break the cursor-up redraw on an 80-column terminal.
    const lines = [
      `  rescued: ${b(s.rescued)} ${s.pct.toFixed(2).padStart(6)}%   non-trimmed: ${b(s.nonTrimmed)}   rate: ${b(s.currentRate)}/s`,
      `non-tried: ${b(s.nonTried)}           non-scraped: ${b(s.nonScraped)}    avg: ${b(s.averageRate)}/s`,
      `bad areas: ${n(s.badAreas)}            bad-sector: ${b(s.badSector)}    run: ${d(s.runTimeS)}`,
      `   errors: ${n(s.readErrors)}       since good read: ${d(s.sinceGoodS)}`,
      `remaining: ${s.remaining}`,
      s.phase,
    ];
    const width = Math.max(20, (this.out.columns ?? 80) - 1);
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A` : "";
    this.out.write(up + lines.map((l) => `\r${l.slice(0, width)}\x1b[K`).join("\n") + "\n");
    this.drawnLines = lines.length;
  }

  private json(o: Record<string, unknown>): void {
    this.out.write(JSON.stringify(o) + "\n");
  }
}
