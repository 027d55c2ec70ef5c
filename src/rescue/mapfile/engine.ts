// One mapfile rescue, in the order that gets readable data out soonest per failed read:
// copy (passes 1-2) → probe wide untried gaps between failures (pass 3) → trim both edges
// of every failed block (all leading edges first) → probe the other gaps (pass 4) →
// scrape by bisection → retry. Every phase only touches
// blocks in its own status, so running the phases again after an interruption is
// harmless; the status line says which phase (and where) to continue, so a resumed run
// goes on exactly there instead of sweeping gaps that belong to a later phase.
import { copyPhase, COPY_PASSES } from "./copy-phase.ts";
import { RescueContext, RescueStopped } from "./context.ts";
import { probePass } from "./probe-pass.ts";
import { autoRetryPhase } from "./retry-auto.ts";
import { retryPhase, scrapePhase } from "./scrape-phase.ts";
import { trimPhase } from "./trim-phase.ts";
import type { StatusLine } from "./status.ts";

export interface RescueResult {
  /** "finished", or why the run stopped early. */
  outcome: "finished" | "interrupted" | "stopped";
  reason?: string;
}

/** Phases in order; a status line names where to continue (ddrescue's copy passes 3-5 map to probing). */
const enum Step { Copy, WideProbe, Trim, Probe, Scrape, Retry }

function resumeStep(line?: StatusLine): Step {
  switch (line?.status) {
    case "?": return line.pass <= COPY_PASSES ? Step.Copy : line.pass === 3 ? Step.WideProbe : Step.Probe;
    case "*": return Step.Trim;
    case "/": return Step.Scrape;
    case "-": return Step.Retry;
    default: return Step.Copy; // finished, filling, generating or new: everything (no-ops where done)
  }
}

export async function runRescue(ctx: RescueContext, resume?: StatusLine): Promise<RescueResult> {
  if (resume) ctx.current = { ...resume };
  const from = resumeStep(resume);
  const o = ctx.options;
  try {
    const at = (st: string) => (resume?.status === st ? resume.pos : undefined);
    if (from <= Step.Copy) await copyPhase(ctx, resume?.status === "?" ? resume.pass : 1, at("?"));
    const cpass = (n: number) => o.copyPasses.includes(n);
    if (from <= Step.WideProbe && cpass(3)) await probePass(ctx, 3);
    if (from <= Step.Trim) {
      if (!o.noTrim) await trimPhase(ctx, resume?.status === "*" ? resume : undefined);
      // Untrimmed areas go to scraping; with -n too they stay as they are (as in ddrescue).
      else if (!o.noScrape) ctx.map.relabel("*", "/");
    }
    if (from <= Step.Probe && (cpass(4) || cpass(5))) await probePass(ctx, 4);
    if (from <= Step.Scrape && !o.noScrape) await scrapePhase(ctx);
    const retryFrom = resume?.status === "-" ? resume.pass : 1;
    // Learned retries come after scraping; with --no-scrape (a quick first run) they wait too.
    if (o.retries === "auto") {
      if (!o.noScrape) await autoRetryPhase(ctx, at("-"));
    }
    else if (o.retries !== 0) await retryPhase(ctx, retryFrom, at("-"));
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
