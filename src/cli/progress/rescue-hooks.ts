// The few points where `salvage rescue` (commands/rescue.ts) meets its status view: which
// view the options and the terminal ask for, what the start of a run says about itself,
// and the command that resumes it. Kept here so the command stays a short list of steps.
import pkg from "../../../package.json" with { type: "json" };
import type { RescueJob } from "../rescue/prepare.ts";
import { UserError } from "../exit.ts";
import { escapeText } from "../../util/escape.ts";
import { RescueStatusView, type StartInfo, type StatusMode } from "./rescue-status.ts";

export const viewArg = {
  view: { type: "string", description: "terminal status: 'numbers' (ddrescue's screen) or 'map' (with a live map of the disk; key m toggles it) [numbers]" },
  "data-preview": { type: "boolean", alias: "P", description: "show the latest data read as hex above the status (ddrescue -P; terminal only)" },
  "preview-lines": { type: "string", description: "lines of --data-preview, 1 to 32 [3] (ddrescue's -P<lines>)" },
} as const;

/** --view's value; checked inside the run, so that with --json a bad one is an error event. */
export function checkViewArg(args: Record<string, unknown>): void {
  const view = args.view === undefined ? "numbers" : String(args.view);
  if (view !== "numbers" && view !== "map") throw new UserError(`--view: expected 'numbers' or 'map': '${escapeText(view, 40)}'`);
  if (args["preview-lines"] !== undefined && previewLines(args) === null) throw new UserError(`--preview-lines: expected a whole number from 1 to 32: '${escapeText(String(args["preview-lines"]), 40)}'`);
}

/** -P's line count: 3 by default (as ddrescue), --preview-lines N; null when not 1-32. */
function previewLines(args: Record<string, unknown>): number | null {
  if (args["preview-lines"] === undefined) return 3;
  const s = String(args["preview-lines"]);
  const n = Number(s);
  return /^[0-9]{1,2}$/.test(s) && n >= 1 && n <= 32 ? n : null;
}

/** The view for these options: --json, -q, a terminal (with keys when stdin is one too), or a log. Never throws. */
export function statusViewFor(args: Record<string, unknown>): RescueStatusView {
  const view = args.view === undefined ? "numbers" : String(args.view);
  const mode: StatusMode = args.json ? "json" : args.quiet ? "quiet" : process.stderr.isTTY ? "tty" : "plain";
  const colour = !process.env.NO_COLOR && process.env.TERM !== "dumb";
  const preview = args["data-preview"] || args["preview-lines"] !== undefined ? (previewLines(args) ?? undefined) : undefined;
  return new RescueStatusView(mode, undefined, { map: view === "map", keys: !!process.stdin.isTTY, colour, preview });
}

export function startInfo(args: Record<string, unknown>, job: RescueJob): StartInfo {
  return {
    version: pkg.version,
    source: String(args.src),
    destination: String(args.dst),
    mapfile: job.mapPath,
    sourceSize: job.source.size ?? 0,
    sectorSize: job.source.sectorSize,
    resumed: job.resume !== undefined,
    options: { ...job.options },
  };
}

/** A word as the shell reads it back: bare when safe, else in single quotes. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_\/.,:=+@%-]+$/.test(w) ? w : `'${w.replace(/'/g, `'"'"'`)}'`;
}

const hasControl = /[\x00-\x1f\x7f-\x9f]/;

/**
 * The command that continues this rescue (the same one), safe to print on a terminal. A
 * word holding control characters is shown escaped (\xNN), so it then needs editing
 * before reuse; every other word is quoted so that it can be pasted back as it is.
 */
export function resumeCommand(rawArgs: string[]): string {
  const words = rawArgs[0] === "rescue" ? rawArgs.slice(1) : rawArgs;
  return ["salvage", "rescue", ...words.map((w) => (hasControl.test(w) ? escapeText(shellWord(w)) : shellWord(w)))].join(" ");
}
