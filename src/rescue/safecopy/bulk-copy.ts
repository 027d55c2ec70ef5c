// Speed: on a healthy stretch, take many whole blocks from one large read and write them at
// once. Allowed only where the per-block loop could not do anything else (no lists, no
// retries pending, no timing or debug output, in position); the symbols, counters and
// terminal decorations come out exactly as if each block had been read on its own.
import type { Feedback } from "./feedback.ts";
import type { LoopState } from "./loop-state.ts";
import { cdiv } from "./summary.ts";
import type { EngineSink, Medium, SafecopyConfig } from "./types.ts";

/** One bulk step; false when the per-block loop must take this step. */
export function bulkCopy(st: LoopState, cfg: SafecopyConfig, medium: Medium, sink: EngineSink, feedback: Feedback, symbol: (s: string) => void): boolean {
  const b = cfg.blockSize;
  if (st.remain !== 0 || st.newError !== cfg.retries || st.newSoftError || cfg.include || cfg.exclude) return false;
  if (cfg.timing || cfg.debug || !st.seekable || st.wp !== st.rp || st.rp % b !== 0) return false;
  if (st.sp !== st.rp + cfg.startOffset || !medium.readBulk || cfg.lowLevel === 2 || (cfg.lowLevel === 1 && st.desperate)) return false;
  const room = cfg.length < 0 ? Infinity : cfg.length - st.rp;
  // The read's time only feeds the terminal's speed smileys.
  const t0 = cfg.human ? performance.now() : 0;
  const data = room >= 2 * b ? medium.readBulk(st.sp, room) : null;
  if (!data || data.length < b) return false;
  const bytes = data.length - (data.length % b);
  const blocks = bytes / b;
  const perBlock = cfg.human ? Math.round(((performance.now() - t0) * 1000) / blocks) : 0;
  const so = cfg.startOffset;
  for (let k = 0; k < blocks; k++) {
    // The terminal decorations see one read per block, as in the per-block loop.
    const rp = st.rp + k * b;
    if (cfg.fileSize > so) feedback.percent = cdiv(100 * rp, cfg.fileSize - so);
    feedback.afterRead(perBlock, cfg.fileSize, cdiv(rp, b));
    if (--st.counter <= 0) {
      symbol(".");
      st.counter = 1024;
    }
  }
  st.desperate = false;
  const error = sink.write(data, bytes, st.wp);
  if (error !== null) {
    sink.err(`\nError: write to ${cfg.destName} failed : ${error}\n`);
    st.writeFailed(sink.writtenUpTo?.());
    return true;
  }
  st.sp += bytes;
  st.rp += bytes;
  st.wp = st.rp;
  return true;
}
