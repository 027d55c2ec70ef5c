// What the user sees during `salvage rescue`: GNU ddrescue's status screen on a terminal
// (redrawn in place once a second, optionally with a live map of the disk below it), one
// line with every figure every ten seconds when stderr is not a terminal, or one JSON event
// per line on stdout with --json (docs/events.md). It only reads the engine's state; it
// never drives it.
import type { RescueContext } from "../../rescue/mapfile/context.ts";
import type { RescueEvent } from "../../rescue/mapfile/events.ts";
import type { StatusMap } from "../../rescue/mapfile/status-map.ts";
import type { Domain } from "../../rescue/mapfile/domain.ts";
import { estimateRemaining, RateMeter, remainingShort, remainingText, type Remaining, type ScrapePace } from "./rate.ts";
import { ddBytes, fit, plainLine, statusLines, type StatusFigures } from "./status-layout.ts";
import { fitGrid, gridLines, legendLine } from "./map-grid.ts";
import { EVENTS_SCHEMA, type JsonEvent, type StartInfo, type Totals } from "./json-events.ts";

export type { StartInfo };
import { TerminalKeys } from "./terminal-keys.ts";
import { DataPreview } from "./data-preview.ts";
import { escapeText } from "../../util/escape.ts";

export type StatusMode = "tty" | "plain" | "json" | "quiet";

export interface StatusSnapshot extends StatusFigures, Totals {
  remaining: Remaining;
  phase: string;
}

export interface StatusOut {
  write(s: string): unknown;
  columns?: number;
  rows?: number;
}

export interface ViewOptions {
  /** Start with the live map under the figures (--view map); `m` toggles it. */
  map?: boolean;
  /** Read keys from the terminal (only honoured when stdin is one). */
  keys?: boolean;
  /** Colours in the map (off with NO_COLOR or TERM=dumb). */
  colour?: boolean;
  /** Where ipos lands in the output (ddrescue's opos - ipos). */
  outputOffset?: number;
  /** -P: lines of the latest data read shown above the figures (terminal only). */
  preview?: number;
}

export interface RunEnd {
  outcome: "finished" | "interrupted" | "stopped";
  reason?: string;
  exitCode: number;
  /** The command that continues the rescue, already escaped for a terminal. */
  resume: string;
}

function totalsOf(map: StatusMap, domain: Domain): Totals {
  const t = map.totals();
  // The percentage is of the domain (a -m map, a --used-first stage), not of the whole map.
  const inDomain = domain.size === map.end ? t["+"] : domain.ranges.reduce((n, [a, b]) => n + map.totals(a, b)["+"], 0);
  return {
    domain: domain.size,
    rescued: t["+"],
    pct: domain.size > 0 ? (100 * inDomain) / domain.size : 100,
    nonTried: t["?"],
    nonTrimmed: t["*"],
    nonScraped: t["/"],
    badSector: t["-"],
    badAreas: map.badAreas(),
  };
}

export class RescueStatusView {
  private lastDraw = -Infinity;
  private drawnLines = 0;
  private drawnWidth = 0;
  private phase = "Copying non-tried blocks... Pass 1 (forwards)";
  private readonly meter = new RateMeter();
  private readonly errorMeter = new RateMeter();
  private failedBytes = 0;
  private lastReadPos: number | null = null;
  /** Clock and read count when scraping began (for its pace). */
  private scrapeStart: { t: number; reads: number } | null = null;
  private readonly intervalMs: number;
  private showMap: boolean;
  private keys: TerminalKeys | null = null;
  private lastCtx: RescueContext | null = null;
  private readonly preview: DataPreview | null;
  /** The engine's read buffer, where the preview's bytes are after a good read. */
  private readBuffer: Uint8Array | null = null;

  constructor(
    readonly mode: StatusMode,
    private readonly out: StatusOut = mode === "json" ? process.stdout : process.stderr,
    private readonly options: ViewOptions = {},
  ) {
    this.intervalMs = mode === "plain" ? 10_000 : 1000;
    this.showMap = mode === "tty" && !!options.map;
    this.preview = mode === "tty" && options.preview ? new DataPreview(options.preview) : null;
    if (mode === "tty" && options.keys) {
      this.keys = new TerminalKeys((k) => {
        if (k !== "m" && k !== "M") return;
        this.showMap = !this.showMap;
        if (this.lastCtx) this.draw(this.lastCtx, true);
      });
    }
  }

  /** Before the first read: ddrescue's greeting (and the map's state when resuming), or the start event. */
  begin(info: StartInfo, map: StatusMap, domain: Domain, job: { outputOffset?: number; readBuffer?: Uint8Array } = {}): void {
    // Known only once the job is prepared: -o/-i move opos from ipos; -P shows the read buffer.
    this.options.outputOffset = job.outputOffset ?? 0;
    this.readBuffer = job.readBuffer ?? null;
    const initial = totalsOf(map, domain);
    if (this.mode === "json") return this.json({ event: "start", schema: EVENTS_SCHEMA, program: "salvage", ...info, initial });
    if (this.mode === "quiet") return;
    const keys = this.keys?.listening ? ", m to show or hide the map" : "";
    const lines = [`salvage ${info.version}`, `Press Ctrl-C to interrupt${keys}`];
    if (info.resumed) {
      lines.push("Initial status (read from mapfile)");
      lines.push(`rescued: ${ddBytes(initial.rescued)}, tried: ${ddBytes(initial.nonTrimmed + initial.nonScraped)}, bad-sector: ${ddBytes(initial.badSector)}, bad areas: ${initial.badAreas}`);
      lines.push("", "Current status");
    }
    this.out.write(lines.join("\n") + "\n");
  }

  onEvent(e: RescueEvent, ctx: RescueContext): void {
    this.lastCtx = ctx;
    if (e.type === "read") {
      this.lastReadPos = e.pos;
      if (this.preview && this.readBuffer && e.result > 0) this.preview.took(this.readBuffer, e.pos, e.result);
      if (e.result < 0) {
        this.failedBytes += e.size;
        if (this.mode === "json") this.json({ event: "read-error", pos: e.pos, size: e.size, errno: -e.result });
      }
    } else if (e.type === "phase") {
      this.phase = e.message;
      this.scrapeStart = e.phase === "scraping" ? { t: ctx.now(), reads: ctx.counters.reads } : null;
      if (this.mode === "json") this.json({ event: "phase", phase: e.phase, pass: e.pass, direction: e.direction, message: e.message });
      else if (this.mode === "plain") this.out.write(`${e.message}\n`);
      else if (this.mode === "tty") this.draw(ctx, true);
    } else if (e.type === "stop" || e.type === "finished") {
      this.draw(ctx, true);
    }
  }

  /** Called between reads: samples the rates, redraws at most once per interval. */
  tick(ctx: RescueContext): void {
    this.lastCtx = ctx;
    const t = ctx.now();
    this.sample(ctx, t);
    if (t - this.lastDraw >= this.intervalMs) this.draw(ctx, false);
  }

  /** After the map is saved: how the run ended, and how to continue it. */
  end(ctx: RescueContext, how: RunEnd): void {
    const message = how.outcome === "finished" ? "Finished" : how.outcome === "interrupted" ? "Interrupted by user" : `Stopped: ${how.reason}`;
    const resumable = how.outcome !== "finished";
    if (this.mode === "json") {
      const s = this.snapshot(ctx);
      const totals: Totals = { domain: s.domain, rescued: s.rescued, pct: s.pct, nonTried: s.nonTried, nonTrimmed: s.nonTrimmed, nonScraped: s.nonScraped, badSector: s.badSector, badAreas: s.badAreas };
      this.json({ event: "finished", outcome: how.outcome, reason: how.reason ?? null, message, exitCode: how.exitCode, readErrors: s.readErrors, runTimeS: s.runTimeS, resume: resumable ? how.resume : null, totals });
      return;
    }
    if (this.mode === "quiet") return;
    // A stop for a limit (timeout, errors) was already reported on stderr by the command.
    const lines = how.outcome === "stopped" ? [] : [message];
    if (resumable) lines.push("The map is saved. To resume, run the same command again:", `  ${how.resume}`);
    this.out.write(lines.join("\n") + "\n");
  }

  /** `--used-first`: a stage begins (stage 1 may begin several rounds). */
  stage(info: { stage: "metadata" | "used" | "free"; index: number; count: number; domainBytes: number; usedBytes: number | null; usedDone: number | null }): void {
    if (this.mode === "json") this.json({ event: "stage", ...info });
  }

  /** One line about the run that is not an error (a filesystem that could not be parsed...). */
  note(line: string): void {
    if (this.mode === "json") this.json({ event: "note", message: escapeText(line) });
    else if (this.mode !== "quiet") process.stderr.write(`salvage: ${escapeText(line)}\n`);
  }

  /** A fatal error, as the last event of the JSON stream (stderr has the one-line message). */
  fail(message: string, exitCode: number): void {
    if (this.mode === "json") this.json({ event: "error", message, exitCode });
  }

  /** Gives the terminal back (raw mode off); safe to call twice. */
  close(): void {
    this.keys?.dispose();
    this.keys = null;
  }

  snapshot(ctx: RescueContext): StatusSnapshot {
    const totals = totalsOf(ctx.map, ctx.domain);
    const c = ctx.counters;
    const t = ctx.now();
    this.sample(ctx, t);
    const ipos = this.lastReadPos ?? ctx.current.pos;
    const remaining = estimateRemaining(ctx.map.totals(), this.meter.recent(), ctx.options.noScrape, this.scrapePace(ctx, t));
    return {
      ...totals,
      ipos,
      opos: ipos + (this.options.outputOffset ?? 0),
      readErrors: c.failedReads,
      currentRate: this.meter.current(),
      averageRate: t > c.startedAt ? (c.bytesRead * 1000) / (t - c.startedAt) : 0,
      errorRate: this.errorMeter.current(),
      runTimeS: (t - c.startedAt) / 1000,
      sinceGoodS: c.bytesRead > 0 ? (t - c.lastGoodAt) / 1000 : null,
      remaining,
      remainingShort: remainingShort(remaining),
      phase: this.phase,
    };
  }

  private sample(ctx: RescueContext, t: number): void {
    this.meter.sample(t, ctx.counters.bytesRead);
    this.errorMeter.sample(t, this.failedBytes);
  }

  private scrapePace(ctx: RescueContext, t: number): ScrapePace | undefined {
    const s = this.scrapeStart;
    const reads = s ? ctx.counters.reads - s.reads : 0;
    return s && reads > 0 ? { msPerRead: (t - s.t) / reads, sector: ctx.sector } : undefined;
  }

  private draw(ctx: RescueContext, force: boolean): void {
    if (this.mode === "quiet") return;
    const t = ctx.now();
    if (!force && t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    const s = this.snapshot(ctx);
    if (this.mode === "json") {
      const { remainingShort: _, remaining, ...rest } = s;
      return this.json({ event: "status", ...rest, remaining: { ...remaining, text: remainingText(remaining) } });
    }
    if (this.mode === "plain") {
      this.out.write(`${plainLine(s)}\n`);
      return;
    }
    this.drawScreen(ctx, s);
  }

  private drawScreen(ctx: RescueContext, s: StatusSnapshot): void {
    const width = Math.max(10, this.out.columns || 80); // 0: a pty without a size
    const height = Math.max(4, this.out.rows || 24);
    const lines = [...(this.preview ? [...this.preview.render(width), ""] : []), ...statusLines(s, width), fit(s.phase, width - 1)];
    // The live map takes the rows left over, keeping one free so the block never scrolls.
    const free = height - lines.length - 2;
    if (this.showMap && free >= 1) {
      const size = ctx.map.end;
      const g = fitGrid(width - 1, free, size, ctx.sector);
      const colour = this.options.colour ?? true;
      lines.push(...gridLines(ctx.map, size, { ...g, colour, position: s.ipos }));
      const legend = legendLine(size, g.columns * g.rows, colour, width - 1);
      if (legend) lines.push(legend);
    }
    // Redraw over the previous block. After a change of width the terminal may have re-wrapped
    // it, so the screen is cleared instead of trusting the old line count.
    const resized = this.drawnWidth !== 0 && this.drawnWidth !== width;
    const home = resized ? "\x1b[H\x1b[2J" : this.drawnLines > 0 ? `\x1b[${this.drawnLines}A` : "";
    this.out.write(home + lines.map((l) => `\r${l}\x1b[K`).join("\n") + "\n\x1b[J");
    this.drawnLines = lines.length;
    this.drawnWidth = width;
  }

  private json(o: JsonEvent): void {
    this.out.write(JSON.stringify(o) + "\n");
  }
}
