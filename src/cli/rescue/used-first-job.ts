// The CLI side of `rescue --used-first`: one engine context per stage (sharing the map,
// the buffer, the counters and the hooks of the run), the parse reading the rescued bytes
// back from the destination, and the stage shown in the status: the phase line says the
// stage and how much of the used data is done, --json adds "stage" and "note" events.
import { FileSource } from "../../io/file-source.ts";
import { readBytesRescued } from "../../fsmap/readers.ts";
import { RescueContext, type RescueHooks } from "../../rescue/mapfile/context.ts";
import type { Domain } from "../../rescue/mapfile/domain.ts";
import { runRescue, type RescueResult } from "../../rescue/mapfile/engine.ts";
import type { RescueEvent } from "../../rescue/mapfile/events.ts";
import { resolveOptions } from "../../rescue/mapfile/options.ts";
import { finishedBytes, rescueUsedFirst, stageOptions, type StageInfo } from "../../rescue/used-first.ts";
import { humanBytes } from "../../util/units.ts";
import type { RescueStatusView } from "../progress/rescue-status.ts";
import type { RescueJob } from "./prepare.ts";
import { engineOptions } from "./rescue-options.ts";
import { restoreLearned } from "../../rescue/mapfile/learned-state.ts";

const stageNames = { metadata: "metadata", used: "used data", free: "free space" } as const;
/** How often the phase line is refreshed with the used-data figure (ms). */
const REFRESH_MS = 5000;

export interface UsedFirstRun {
  result: RescueResult;
  /** What the exit code is about: everything with --used-first, the used bytes with --used-only. */
  scope: Domain;
}

export async function runUsedFirstJob(
  job: RescueJob,
  args: Record<string, unknown>,
  hooks: RescueHooks,
  view: RescueStatusView,
  onContext: (ctx: RescueContext) => void,
): Promise<UsedFirstRun> {
  const given = engineOptions(args);
  const usedOnly = !!args["used-only"];
  let stage: StageInfo | null = null;
  let last: RescueContext | null = null;
  let lastPhase: Extract<RescueEvent, { type: "phase" }> | null = null;
  let refreshed = 0;

  const label = () => {
    if (!stage) return "";
    const used = stage.used ? ` (used data: ${humanBytes(finishedBytes(job.map, stage.used.ranges))} of ${humanBytes(stage.used.size)} rescued)` : "";
    return `Stage ${stage.index}/${stage.count} ${stageNames[stage.stage]}${used}: `;
  };
  const stageHooks: RescueHooks = {
    ...hooks,
    onEvent: (e) => {
      // Each stage's engine run ends with "finished"; the job says it once, at its end.
      if (e.type === "finished") return;
      if (e.type === "phase") {
        lastPhase = e;
        refreshed = performance.now();
        e = { ...e, message: label() + e.message };
      }
      hooks.onEvent?.(e);
    },
    checkpoint: (c) => {
      if (lastPhase && stage?.used && performance.now() - refreshed >= REFRESH_MS) stageHooks.onEvent!(lastPhase);
      return hooks.checkpoint?.(c);
    },
  };

  const dst = new FileSource(job.target.path);
  try {
    const r = await rescueUsedFirst({
      map: job.map,
      sector: job.source.sectorSize,
      within: job.domain,
      usedOnly,
      readRescued: readBytesRescued(dst, job.map),
      onStage: (info) => {
        stage = info;
        view.stage({ stage: info.stage, index: info.index, count: info.count, domainBytes: info.domainBytes, usedBytes: info.used?.size ?? null, usedDone: info.used ? finishedBytes(job.map, info.used.ranges) : null });
      },
      onNote: (line) => {
        view.note(line);
      },
      run: (domain, info) => {
        const options = resolveOptions({ ...given, ...stageOptions(info) }, domain.size, job.source.sectorSize);
        const ctx = new RescueContext(job.source, job.target, job.map, domain, options, stageHooks, job.buffer);
        if (last) {
          // One run, several domains: counters, limits and the sparse high-water mark go on.
          Object.assign(ctx.counters, last.counters);
          ctx.highWater = last.highWater;
          ctx.learnFrom(last);
        } else if (job.learned) restoreLearned(ctx, job.learned, undefined); // what the drive showed before a restart
        last = ctx;
        onContext(ctx);
        return runRescue(ctx);
      },
    });
    if (r.outcome === "finished") hooks.onEvent?.({ type: "finished", message: "Finished" });
    return { result: r, scope: usedOnly ? r.used : job.domain };
  } finally {
    dst.close();
  }
}
