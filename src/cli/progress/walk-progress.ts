// Progress of a walk over free fragments (getfree, undelete) or a stream (textpieces):
// one line on stderr with bytes done, the rate and the time left, only when stderr is a
// terminal. `total` may be unknown (a pipe): then no time left is shown.
import { humanBytes } from "../../util/units.ts";
import { progressLine } from "../commands/ffs.ts";
import { formatDuration, RateMeter } from "./rate.ts";

export function walkProgress(label: string, total: number | null) {
  const line = progressLine();
  const meter = new RateMeter();
  const t0 = performance.now();
  return {
    update(done: number, detail = ""): void {
      const now = performance.now() - t0;
      meter.sample(now, done);
      const rate = meter.recent();
      const left = total !== null && rate > 0 ? `, ${formatDuration(Math.max(0, total - done) / rate)} left` : "";
      const of = total !== null ? ` of ${humanBytes(total)}` : "";
      line.update(`${label}: ${humanBytes(done)}${of}, ${humanBytes(rate)}/s${left}${detail ? `; ${detail}` : ""}`);
    },
    text(t: string): void {
      line.update(`${label}: ${t}`);
    },
    done: () => line.done(),
  };
}
