// Progress of a long pass over bytes — done, rate, time left — for commands whose own output
// must not change: `copy` (safecopy's stdout is compatible to the byte, so the terminal's
// title shows it) and `ffs superblocks` (a line on stderr, redrawn in place). Shown only
// on a terminal; pipes and files never see it.
import { humanBytes } from "../../util/units.ts";
import { formatDuration, RateMeter } from "./rate.ts";

/** "45% of 1.00 GiB, 80.0 MiB/s, 12s left" (without a total: "120 MiB, 80.0 MiB/s"). */
export function progressText(done: number, total: number | null, bytesPerSecond: number): string {
  const rate = `${humanBytes(Math.round(bytesPerSecond))}/s`;
  if (total === null || total <= 0) return `${humanBytes(done)}, ${rate}`;
  const left = bytesPerSecond > 0 ? formatDuration((total - done) / bytesPerSecond) : "n/a";
  return `${Math.min(100, Math.floor((100 * done) / total))}% of ${humanBytes(total)}, ${rate}, ${left} left`;
}

export interface ProgressSink {
  show(text: string): void;
  done(): void;
}

export class ByteProgress {
  private readonly meter = new RateMeter();
  private readonly start: number;
  private last = -Infinity;

  constructor(
    private readonly label: string,
    private readonly total: number | null,
    private readonly sink: ProgressSink,
    private readonly everyMs = 500,
    private readonly now: () => number = Date.now,
  ) {
    this.start = now();
  }

  update(done: number): void {
    const t = this.now() - this.start;
    this.meter.sample(t, done);
    if (t - this.last < this.everyMs) return;
    this.last = t;
    // The 30 s window once it has samples; before that, the average so far.
    const rate = this.meter.recent() || (t > 0 ? (done * 1000) / t : 0);
    this.sink.show(`${this.label}: ${progressText(done, this.total, rate)}`);
  }

  done(): void {
    this.sink.done();
  }
}

type Terminal = { isTTY?: boolean; write(s: string): unknown };

/** Draws with `draw(text)` and clears with `clear` when the stream is a terminal; done() clears (also before other output). */
function terminalSink(stream: Terminal, draw: (text: string) => string, clear: string): ProgressSink {
  const on = stream.isTTY === true;
  let shown = false;
  return {
    show(text) {
      if (!on) return;
      shown = true;
      stream.write(draw(text));
    },
    done() {
      if (shown) stream.write(clear);
      shown = false;
    },
  };
}

/** The terminal's title (OSC 0), when stderr is a terminal: nothing is added to the text. */
export function titleSink(stream: Terminal = process.stderr): ProgressSink {
  return terminalSink(stream, (text) => `\x1b]0;${text.replace(/[\x00-\x1f\x7f]/g, " ")}\x07`, "\x1b]0;\x07");
}

/** One line on stderr, redrawn in place, when stderr is a terminal. */
export function lineSink(stream: Terminal = process.stderr): ProgressSink {
  return terminalSink(stream, (text) => `\r${text}\x1b[K`, "\r\x1b[K");
}
