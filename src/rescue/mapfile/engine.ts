// One mapfile rescue: copy → trim → scrape → retry over a Source, driven by a StatusMap.
// Every phase only touches blocks in its own status, so running all of them again after
// an interruption is harmless; the status line adds where copying (or retrying) was, so
// a resumed run continues exactly there.
import { copyPhase, COPY_PASSES } from "./copy-phase.ts";
import { RescueContext, RescueStopped } from "./context.ts";
import { retryPhase, scrapePhase } from "./scrape-phase.ts";
import { trimPhase } from "./trim-phase.ts";
import type { StatusLine } from "./status.ts";

export interface RescueResult {
  /** "finished", or why the run stopped early. */
  outcome: "finished" | "interrupted" | "stopped";
  reason?: string;
}

export async function runRescue(ctx: RescueContext, resume?: StatusLine): Promise<RescueResult> {
  if (resume) ctx.current = { ...resume };
  try {
    const copyPass = resume?.status === "?" ? Math.min(resume.pass, COPY_PASSES) : 1;
    const at = (st: string) => (resume?.status === st ? resume.pos : undefined);
    await copyPhase(ctx, copyPass, at("?"));
    if (!ctx.options.noTrim) await trimPhase(ctx, at("*"));
    else ctx.map.extents().filter((x) => x.status === "*").forEach((x) => ctx.map.set(x.pos, x.size, "/"));
    if (!ctx.options.noScrape) await scrapePhase(ctx, at("/"));
    if (ctx.options.retries !== 0) await retryPhase(ctx, resume?.status === "-" ? resume.pass : 1, at("-"));
    // Position 0 when finished: where the last read happened depends on the path taken
    // (interruptions included), and a finished map should not.
    ctx.at("+", 1, 0);
    ctx.emit({ type: "finished", message: "Finished" });
    return { outcome: "finished" };
  } catch (e) {
    if (!(e instanceof RescueStopped)) throw e;
    ctx.emit({ type: "stop", reason: e.reason });
    return { outcome: e.interrupted ? "interrupted" : "stopped", reason: e.reason };
  }
}

export { RescueContext, RescueStopped };
