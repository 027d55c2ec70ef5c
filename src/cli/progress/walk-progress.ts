// Progress of a walk over free fragments (getfree, undelete) or a stream (textpieces):
// one line on stderr with the share done, bytes, the rate and the time left, only when
// stderr is a terminal. The share may be unknown (a pipe): then no time left is shown.
import { humanBytes } from "../../util/units.ts";
import { progressLine } from "../commands/ffs.ts";
import { formatDuration, RateMeter } from "./rate.ts";

export function walkProgress(label: string) {
  const line = progressLine();
  const meter = new RateMeter();
  const t0 = performance.now();
  return {
    /** `share` of the job done (0..1, or null when unknown) and bytes handled so far. */
    update(share: number | null, bytes: number, detail = ""): void {
      const elapsed = performance.now() - t0;
      meter.sample(elapsed, bytes);
      const pct = share !== null ? `${(100 * share).toFixed(0)}%, ` : "";
      const left = share !== null && share > 0 && share < 1 ? `, ${formatDuration(((elapsed / 1000) * (1 - share)) / share)} left` : "";
      line.update(`${label}: ${pct}${humanBytes(bytes)}, ${humanBytes(meter.recent())}/s${left}${detail ? `; ${detail}` : ""}`);
    },
    text(t: string): void {
      line.update(`${label}: ${t}`);
    },
    done: () => line.done(),
  };
}
