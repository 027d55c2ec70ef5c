// ddrescue's --log-rates, --log-reads and --log-events, in the formats GNU ddrescue 1.27
// writes (recorded in test/fixtures/oracles/ddrescue/options.json), so scripts and gnuplot
// files made for ddrescue's logs read salvage's:
//   rates:  "%2d  0x%08X  %8d  %8d  %7d  %8d" every second (time, position, current and
//           average rate, bad areas, bad-sector bytes);
//   reads:  "0x%08X\t%d\t%d\t%d" per read (position, size, copied, error size), a
//           "# Ns  message" line at each phase (a blank line before all but the first) and
//           a "# Ns" time mark when a second has passed;
//   events: "%14s  %6.2f%%  message" per phase and at the end ("End of run (0x%08X  status)"),
//           the reason of an early stop on its own line; appended to an existing file.
// Each starts with three header lines and ends with "# End time:". The files are written
// beside their final names (exclusively created, util/atomic-file-stream.ts) and renamed
// into place when the run ends, also when it is interrupted.
import { existsSync, readFileSync, statSync } from "node:fs";
import { AtomicFileStream } from "../../util/atomic-file-stream.ts";
import { formatTime } from "../../formats/mapfile.ts";
import type { RescueContext } from "../../rescue/mapfile/context.ts";
import type { RescueEvent } from "../../rescue/mapfile/events.ts";
import { UserError } from "../exit.ts";
import { oneLine } from "../../util/one-line.ts";

export interface LogHeader {
  program: string;
  commandLine: string;
  startTime: Date;
}

/** An events log kept from earlier runs is copied in front of this run's; beyond this it is refused. */
const MAX_APPENDED = 16 * 1024 * 1024;

const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, "0")}`;

/** ddrescue's durations: "0s", "24s", "3m", "3m  1s", "5h  2m", "2d 13h". */
export function ddrescueDuration(seconds: number): string {
  const t = Math.max(0, Math.floor(seconds));
  const units: [number, string][] = [[Math.floor(t / 86400), "d"], [Math.floor(t / 3600) % 24, "h"], [Math.floor(t / 60) % 60, "m"], [t % 60, "s"]];
  const first = units.findIndex(([v]) => v > 0);
  if (first < 0 || first === 3) return `${t % 60}s`;
  const [v, u] = units[first]!;
  const [w, x] = units[first + 1]!;
  return w > 0 ? `${v}${u} ${String(w).padStart(2)}${x}` : `${v}${u}`;
}

const STATUS_NAME: Record<string, string> = { "?": "copying", "*": "trimming", "/": "scraping", "-": "retrying", "+": "finished", F: "filling", G: "generating" };

class LogFile {
  private readonly out: AtomicFileStream;
  constructor(kind: string, path: string, header: LogHeader, columns: string, append = false) {
    let before: Uint8Array | null = null;
    if (append && existsSync(path)) {
      const st = statSync(path);
      if (!st.isFile() || st.size > MAX_APPENDED) throw new UserError(`--log-events: '${path}' is not a regular file of at most 16 MiB (events are appended to it)`);
      before = readFileSync(path);
    }
    this.out = new AtomicFileStream(path);
    if (before) this.out.write(before);
    // Control characters in names are escaped, as in the mapfile's header (a newline cannot end the comment).
    this.line(`# ${kind} Logfile. Created by ${oneLine(header.program)}`);
    this.line(`# Command line: ${oneLine(header.commandLine)}`);
    this.line(`# Start time:   ${formatTime(header.startTime)}`);
    this.line(columns);
  }
  /** Lines wait here and are written 64 KiB at a time: --log-reads has a line per read. */
  private pending = "";
  line(text: string): void {
    this.pending += `${text}\n`;
    if (this.pending.length >= 65536) this.flush();
  }
  private flush(): void {
    this.out.write(Buffer.from(this.pending, "utf8"));
    this.pending = "";
  }
  async close(): Promise<void> {
    this.line(`# End time:     ${formatTime(new Date())}`);
    this.flush();
    await this.out.commit();
  }
}

export class RescueLogs {
  private rates: LogFile | null = null;
  private reads: LogFile | null = null;
  private events: LogFile | null = null;
  private readonly t0: number;
  private lastRateSecond = -1;
  private lastMarkSecond = 0;
  private phases = 0;
  private bytesAtLastRate = 0;
  private stopReason: string | null = null;
  private closed = false;

  constructor(paths: { rates?: string; reads?: string; events?: string }, header: LogHeader, now: number) {
    this.t0 = now;
    if (paths.rates) this.rates = new LogFile("Rates", paths.rates, header, "#Time  Ipos  Current_rate  Average_rate  Bad_areas  Bad_size");
    if (paths.reads) this.reads = new LogFile("Reads", paths.reads, header, "#  Ipos       Size  Copied_size  Error_size");
    if (paths.events) this.events = new LogFile("Events", paths.events, header, "#         Time  Rescued  Event", true);
  }

  get active(): boolean {
    return !!(this.rates || this.reads || this.events);
  }

  private seconds(ctx: RescueContext): number {
    return Math.floor((ctx.now() - this.t0) / 1000);
  }

  private pct(ctx: RescueContext): string {
    const size = ctx.domain.size;
    const rescued = ctx.domain.ranges.reduce((n, [a, b]) => n + ctx.map.totals(a, b)["+"], 0);
    return (size > 0 ? (100 * rescued) / size : 100).toFixed(2).padStart(6);
  }

  private event(ctx: RescueContext, message: string): void {
    this.events?.line(`${ddrescueDuration(this.seconds(ctx)).padStart(14)}  ${this.pct(ctx)}%  ${message}`);
  }

  onEvent(e: RescueEvent, ctx: RescueContext): void {
    if (e.type === "read") {
      if (!this.reads) return;
      this.timeMark(ctx);
      const copied = Math.max(0, e.result);
      this.reads.line(`${hex(e.pos)}\t${e.size}\t${copied}\t${e.size - copied}`);
    } else if (e.type === "phase") {
      this.reads?.line(`${this.phases++ > 0 ? "\n" : ""}# ${ddrescueDuration(this.seconds(ctx))}  ${e.message}`);
      this.event(ctx, e.message);
    } else if (e.type === "stop") this.stopReason = e.reason;
  }

  /** Reads log: "# Ns" once a second has passed since the last mark (checked at each read). */
  private timeMark(ctx: RescueContext): void {
    const s = this.seconds(ctx);
    if (s > this.lastMarkSecond) {
      this.lastMarkSecond = s;
      this.reads!.line(`# ${ddrescueDuration(s)}`);
    }
  }

  /** Between reads: a rates line for every new whole second of the run (and one at 0). */
  tick(ctx: RescueContext): void {
    if (!this.rates) return;
    const s = this.seconds(ctx);
    if (s === this.lastRateSecond) return;
    const elapsed = s - Math.max(0, this.lastRateSecond);
    const bytes = ctx.counters.bytesRead;
    const current = this.lastRateSecond < 0 || elapsed === 0 ? 0 : Math.round((bytes - this.bytesAtLastRate) / elapsed);
    const average = s > 0 ? Math.round(bytes / s) : 0;
    const bad = ctx.domain.ranges.reduce((n, [a, b]) => n + ctx.map.totals(a, b)["-"], 0);
    this.rates.line(`${String(s).padStart(2)}  ${hex(ctx.current.pos)}  ${String(current).padStart(8)}  ${String(average).padStart(8)}  ${String(ctx.map.badAreas()).padStart(7)}  ${String(bad).padStart(8)}`);
    this.lastRateSecond = s;
    this.bytesAtLastRate = bytes;
  }

  /** End of the run (finished, stopped or interrupted): the last lines, then every log into place. */
  async close(ctx: RescueContext): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.stopReason !== null) this.events?.line(`${"".padStart(22)}${this.stopReason}`);
    this.event(ctx, `End of run (${hex(ctx.current.pos)}  ${STATUS_NAME[ctx.current.status] ?? ctx.current.status})`);
    for (const log of [this.rates, this.reads, this.events]) await log?.close();
  }
}
