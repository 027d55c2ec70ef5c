// `salvage rescue SRC DST MAPFILE`: GNU ddrescue-style rescue with a ddrescue-compatible
// mapfile. Rerunning the same command resumes exactly where the map says.
import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { optionTable, shortFlagGiven, type CommandWithRawOptions } from "../option-check.ts";
import pkg from "../../../package.json" with { type: "json" };
import { describeError, ExitCode, UserError } from "../exit.ts";
import { NativeError } from "../../native/errors.ts";
import { prepareRescue } from "../rescue/prepare.ts";
import { MapSaver } from "../rescue/map-saver.ts";
import { describeWriteError, MapSaveError } from "../rescue/map-store.ts";
import { formatTime } from "../../formats/mapfile.ts";
import type { RescueStatusView } from "../progress/rescue-status.ts";
import { checkViewArg, resumeCommand, startInfo, statusViewFor, viewArg } from "../progress/rescue-hooks.ts";
import { RescueContext, type RescueHooks } from "../../rescue/mapfile/context.ts";
import { runRescue } from "../../rescue/mapfile/engine.ts";
import { learnedState, restoreLearned } from "../../rescue/mapfile/learned-state.ts";
import { fillBlocks } from "../../rescue/mapfile/fill.ts";
import { secondsArg } from "../rescue/rescue-options.ts";
import { StopSignals } from "../stop-signals.ts";
import { RescueLogs } from "../rescue/rescue-logs.ts";
import { runUsedFirstJob } from "../rescue/used-first-job.ts";
import { rescueHelpEpilog } from "../rescue/rescue-help.ts";

/** ddrescue's --no-scrape and --no-trim short forms, not declared to citty. */
const rescueShortFlags = ["n", "N"];

export const rescueArgs = {
  src: { type: "positional", description: "device or image to rescue (opened read-only)", required: true },
  dst: { type: "positional", description: "image file (or device, with --force) to write", required: true },
  mapfile: { type: "positional", description: "GNU ddrescue mapfile: created, or continued if it exists", required: true },
  "cluster-size": { type: "string", alias: "c", description: "sectors per read on healthy areas, as ddrescue -c [128 = 64 KiB / sector size]" },
  cluster: { type: "string", description: "the same in bytes (64Ki, 1Mi) [64Ki]" },
  "sector-size": { type: "string", alias: "b", description: "sector size of the source [the device's, 512 for files]" },
  "input-position": { type: "string", alias: "i", description: "start of the rescue domain in SRC [0]" },
  "output-position": { type: "string", alias: "o", description: "where the domain's image starts in DST [input position]" },
  size: { type: "string", alias: "s", description: "largest size of the rescue domain [to the end of SRC; -1 = no limit]" },
  preallocate: { type: "boolean", alias: "p", description: "reserve the image's space before the first read (regular files)" },
  truncate: { type: "boolean", alias: "t", description: "empty DST before writing (refused when the mapfile records rescued data)" },
  reverse: { type: "boolean", alias: "R", description: "run every pass in the opposite direction" },
  direct: { type: "boolean", alias: "d", description: "read the source with O_DIRECT (no page cache)" },
  sparse: { type: "boolean", alias: "S", description: "do not write all-zero blocks (target must be new or zeroed)" },
  "skip-size": { type: "string", alias: "K", description: "INITIAL[,MAX] skip after an error [1/256,1/8 of the domain]; 0 = no skipping" },
  "min-read-rate": { type: "string", alias: "a", description: "skip ahead on reads slower than this many bytes/s (pass 1)" },
  timeout: { type: "string", alias: "T", description: "stop when no read has succeeded for this long (e.g. 30s, 5m)" },
  "max-errors": { type: "string", alias: ["X", "max-read-errors"] as string[], description: "stop after more than this many failed reads in this run" },
  "max-bad-areas": { type: "string", alias: "e", description: "stop when the map holds more than N bad areas; +N: N new in this run" },
  "max-error-rate": { type: "string", alias: "E", description: "stop when failed reads exceed this many bytes/s" },
  "max-slow-reads": { type: "string", description: "stop after more than N slow reads while copying" },
  "delay-slow": { type: "string", description: "judge no read slow during this first part of the run [30s with -a, else 0]" },
  "pause-on-error": { type: "string", description: "wait this long after each failed read (e.g. 5s) [0]" },
  "reopen-on-error": { type: "boolean", alias: "O", description: "close and reopen SRC after each failed read while copying" },
  "try-again": { type: "boolean", alias: "A", description: "before starting, mark non-trimmed and non-scraped areas non-tried (with -M: bad sectors too)" },
  retrim: { type: "boolean", alias: "M", description: "before starting, mark bad sectors non-trimmed" },
  unidirectional: { type: "boolean", alias: "u", description: "run every pass in the main direction" },
  cpass: { type: "string", description: "copying passes to run, ddrescue's 1-5 (e.g. 1,3-5; 0 = none)" },
  retries: { type: "string", alias: ["r", "retry-passes"] as string[], description: "retry passes over bad sectors (-1 = until interrupted; 0 = none, as ddrescue's default) [auto: short bad runs, while it pays]" },
  scrape: { type: "boolean", default: true, description: "scrape non-scraped areas sector by sector (--no-scrape or -n, as ddrescue)" },
  trim: { type: "boolean", default: true, description: "trim the edges of failed blocks (--no-trim or -N, as ddrescue)" },
  domain: { type: "string", alias: ["m", "domain-mapfile"] as string[], description: "only rescue the finished ('+') blocks of this mapfile" },
  "fill-mode": { type: "string", alias: "F", description: "after the run, mark target blocks with these statuses (e.g. '-' or '?*/-')" },
  mark: { type: "string", description: "text written (repeated, with the position) into each marked sector [SALVAGE-UNREADABLE]" },
  force: { type: "boolean", alias: "f", description: "allow writing onto a device" },
  "mapfile-interval": { type: "string", description: "save the map at most this often, in seconds [30 s, growing with the map to at most 5 min]" },
  "test-mode": { type: "string", alias: "H", description: "simulate errors: only '+' blocks of this mapfile are readable (ddrescue -H)" },
  "log-rates": { type: "string", description: "write rates and bad areas every second to this file (ddrescue's format)" },
  "log-reads": { type: "string", description: "write every read and its result to this file (ddrescue's format)" },
  "log-events": { type: "string", description: "append phases and the end of run to this file (ddrescue's format)" },
  ask: { type: "boolean", description: "show source and destination (model, serial, size) and ask before starting" },
  json: { type: "boolean", description: "write one JSON event per line to stdout" },
  quiet: { type: "boolean", alias: "q", description: "no status output" },
  ...viewArg,
  "used-first": { type: "boolean", description: "partition tables and filesystem metadata first, then the used data, then free space" },
  "used-only": { type: "boolean", description: "as --used-first, but leave free space alone" },
} as const;

const command: CommandWithRawOptions = defineCommand({
  meta: { name: "rescue", description: "Rescue SRC to DST with a GNU ddrescue-compatible MAPFILE (resumable, good data first)" },
  args: rescueArgs,
  async run({ args, rawArgs }) {
    return rescueMain(args as Record<string, unknown>, rawArgs);
  },
});
command.rawOptions = { extraShort: rescueShortFlags, epilog: rescueHelpEpilog };
export default command;

/** fdatasync the image; character devices such as /dev/null have nothing to flush (EINVAL). */
function syncImage(target: { syncData(): void }): void {
  try {
    target.syncData();
  } catch (e) {
    if (!(e instanceof NativeError && (e.code === "EINVAL" || e.code === "EROFS"))) throw e;
  }
}

export async function rescueMain(args: Record<string, unknown>, rawArgs: string[]): Promise<number> {
  const view = statusViewFor(args);
  try {
    return await rescueRun(args, rawArgs, view);
  } catch (e) {
    const d = describeError(e);
    view.fail(d.message, d.exitCode);
    throw e;
  } finally {
    view.close();
  }
}

async function rescueRun(args: Record<string, unknown>, rawArgs: string[], view: RescueStatusView): Promise<number> {
  checkViewArg(args);
  // ddrescue's -n / -N, looked up in the raw words (alone or bundled, -Rn): citty's args
  // object does not keep undeclared short flags apart by case.
  const table = optionTable(rescueArgs, rescueShortFlags);
  if (shortFlagGiven(rawArgs, table, "n")) args.scrape = false;
  if (shortFlagGiven(rawArgs, table, "N")) args.trim = false;
  // Every option is checked before prepareRescue creates the image.
  // Not given: the automatic interval, which grows with the map (map-saver.ts).
  const interval = secondsArg("mapfile-interval", args["mapfile-interval"], true);
  const intervalMs = interval === undefined ? null : interval * 1000;
  const job = prepareRescue(args);
  const startTime = new Date();
  let message = "Copying non-tried blocks... Pass 1 (forwards)";
  // Handled between reads: the engine stops at the next step, the map is saved, exit 130.
  const stop = new StopSignals();

  const saver = new MapSaver({
    mapPath: job.mapPath,
    backgroundTarget: job.target.isDevice ? null : job.target.path,
    intervalMs,
    // The image first: the map must never claim data that is not on disk.
    syncImage: () => syncImage(job.target),
    header: () => ({
      program: `salvage version ${pkg.version}`,
      commandLine: ["salvage", "rescue", ...rawArgs].join(" "),
      startTime,
      currentTime: new Date(),
      message,
    }),
    learned: () => JSON.stringify(learnedState(ctx)),
  });

  const logs = new RescueLogs(
    { rates: args["log-rates"] as string | undefined, reads: args["log-reads"] as string | undefined, events: args["log-events"] as string | undefined },
    { program: `salvage version ${pkg.version}`, commandLine: ["salvage", "rescue", ...rawArgs].join(" "), startTime },
    performance.now(),
  );
  const hooks: RescueHooks = {
    onEvent: (e) => {
      if (e.type === "phase") message = e.message;
      if (e.type === "finished") message = "Finished";
      if (e.type === "stop") message = `Stopped: ${e.reason}`;
      view.onEvent(e, ctx);
      logs.onEvent(e, ctx);
    },
    checkpoint: (c) => {
      view.tick(c);
      logs.tick(c);
      saver.tick(c.current, c.map);
    },
    stopRequested: () => (stop.signal ? `interrupted by ${stop.signal}` : null),
    reopenSource: () => job.reopenSource(),
  };
  // --used-first runs one context per stage; `ctx` is the current one.
  let ctx = new RescueContext(job.source, job.output, job.map, job.domain, job.options, hooks, job.buffer);
  if (job.learned) restoreLearned(ctx, job.learned, job.resume);

  logs.tick(ctx);
  try {
    view.begin(startInfo(args, job), job.map, job.domain, { outputOffset: job.outputShift, readBuffer: job.buffer });
    if (job.learnedNote) view.note(job.learnedNote);
    const usedFirst = args["used-first"] || args["used-only"] ? await runUsedFirstJob(job, args, hooks, view, (c) => (ctx = c)) : null;
    const result = usedFirst ? usedFirst.result : await runRescue(ctx, job.resume);
    await logs.close(ctx);
    if (job.options.sparse) job.extendTo(ctx.highWater);
    if (result.outcome === "finished" && job.fillTypes) {
      fillBlocks(ctx.map, job.domain, job.fillTypes, job.source.sectorSize, String(args.mark ?? "SALVAGE-UNREADABLE"), job.output);
    }
    await saver.final(ctx.current, ctx.map);
    // What the exit code is about: the whole domain, or with --used-only the used bytes.
    const scope = usedFirst?.scope ?? job.domain;
    const rescued = scope.ranges.reduce((n, [a, b]) => n + ctx.map.totals(a, b)["+"], 0);
    // Stopped by a limit (-X, -T) before finishing: not "finished with bad sectors" (docs/exit-codes.md).
    const code = result.outcome === "interrupted" ? ExitCode.interrupted : result.outcome === "stopped" ? ExitCode.fatal : rescued < scope.size ? ExitCode.incomplete : ExitCode.ok;
    if (result.outcome === "stopped") process.stderr.write(`salvage: rescue stopped: ${result.reason}\n`);
    view.end(ctx, { ...result, exitCode: code, resume: resumeCommand(rawArgs) });
    return code;
  } catch (e) {
    // A write error, a failed map save, or a bug: keep what is known, then say exactly
    // what is on disk (the map is never claimed saved when it is not).
    let notSaved: string | null = null;
    try {
      await saver.final(ctx.current, ctx.map);
    } catch (s) {
      notSaved = s instanceof MapSaveError ? s.reason : describeWriteError(s);
    }
    const holds = saver.lastSaved ? `the state saved at ${formatTime(saver.lastSaved)}` : "the state from before this run";
    const kept = existsSync(job.mapPath) ? `'${job.mapPath}' still holds ${holds}, which is safe to resume from` : `no map was saved: a rerun starts from the beginning`;
    const mapState = notSaved === null ? `the map '${job.mapPath}' is saved` : `the map could not be saved (${notSaved}): ${kept}`;
    if (e instanceof NativeError && e.code === "ENOSPC") throw new UserError(`no space left on the device of '${job.target.path}'; ${mapState}; free some space and rerun`);
    if (e instanceof MapSaveError) throw new UserError(`${e.message}; ${notSaved === null ? mapState : kept}`);
    if (e instanceof NativeError || e instanceof UserError) throw new UserError(`${e.message.split("\n")[0]}; ${mapState}`);
    throw e;
  } finally {
    // After an error too: what was logged up to it is kept (a second close does nothing).
    await logs.close(ctx).catch(() => {});
    stop.dispose();
    job.close();
  }
}
