// One map-tool job (what one ddrescuelog invocation does), built either from ddrescuelog's
// own option letters (`salvage map -D x.map`, ddrescuelog-args.ts) or from salvage's named
// subcommands (`salvage map done x.map`, commands/map-tools.ts), and run here.
import { unlinkSync } from "node:fs";
import { countBadblocks, writeBadblocks } from "../../formats/map-convert.ts";
import { changeTypes, crop, domainRanges, invert, isDone, listedView, logic, mapsAgree, type LogicOp } from "../../formats/map-ops.ts";
import { feedFromFile, loadMap, type LoadedMap } from "../../formats/mapfile-load.ts";
import { MapfileError } from "../../formats/mapfile-parse.ts";
import { MapfileEncoder } from "../../formats/mapfile-write.ts";
import { statusText } from "../../formats/map-status-text.ts";
import type { Range } from "../../rescue/mapfile/domain.ts";
import type { StatusMap } from "../../rescue/mapfile/status-map.ts";
import { version } from "../../../package.json" with { type: "json" };
import { descriptorWriter } from "../safecopy/output.ts";
import { escapeText } from "../../util/escape.ts";
import { ExitCode, UserError } from "../exit.ts";
import { loadMapfile } from "../rescue/map-store.ts";

export type MapOp = "show-status" | "done" | "delete-if-done" | "compare" | "compare-finished" | "list" | "change-types" | "invert" | LogicOp;

export interface MapJob {
  op: MapOp;
  mapfile: string;
  /** show-status: further mapfiles, each summarized in turn. */
  more?: string[];
  /** show-status: binary prefixes (-B). */
  binary?: boolean;
  /** The second map of compare/xor/and/or. */
  other?: string;
  /** list: the statuses listed. */
  types?: string;
  /** change-types: OLD and NEW statuses. */
  change?: [string, string];
  blockSize: number;
  ipos?: number;
  /** list: where ipos lands in the numbering (ddrescuelog's -o; defaults to ipos). */
  opos?: number;
  size?: number;
  domainMap?: string;
  /** Accept a user-made domain (or compare-as-domain) map: unsorted, gappy. */
  loose?: boolean;
  quiet?: boolean;
  /** The command line written into the header of a resulting map. */
  commandLine: string;
}

/** Bad-block lists count blocks of at most this size (the same bound as `map convert`). */
export const MAX_BLOCK_SIZE = 2 ** 31 - 1;
/** Lines of a list: streamed to stdout, but bounded (a 2^52-byte area in 1-byte sectors must not run for days). */
const MAX_LIST_LINES = 2 ** 31;

/** A mapfile by path, or standard input for "-"; a one-line error when missing or broken. */
function readMap(path: string, loose = false): LoadedMap {
  if (path === "-") {
    try {
      return loadMap((push) => feedFromFile("/dev/stdin", push), { loose });
    } catch (e) {
      if (e instanceof MapfileError) throw new UserError(`standard input: ${e.message}`);
      throw new UserError(`cannot read a mapfile from standard input: ${(e as Error).message}`);
    }
  }
  const m = loadMapfile(path, loose);
  if (!m) throw new UserError(`mapfile '${escapeText(path)}' does not exist`);
  return m;
}

/** The job's exit code (0, or 1 for "not done" and "differ"); problems are thrown as UserError. */
export function runMapJob(job: MapJob): number {
  const out = descriptorWriter(1);
  if (job.op === "show-status") return showStatus(job, out);
  const say = (text: string) => job.quiet || process.stderr.write(`salvage map: ${text}\n`);
  const { current, map } = readMap(job.mapfile);
  const other = job.other === undefined ? undefined : readMap(job.other, job.loose && job.op === "compare-finished").map;
  const domainMap = job.domainMap === undefined ? undefined : readMap(job.domainMap, job.loose).map;
  const ranges = domainRanges({ ipos: job.ipos, size: job.size, domainMap });
  const cropped = crop(ranges, job.op === "compare" || job.op === "compare-finished" ? Math.max(map.end, other!.end) : map.end);
  const working = other && !job.op.startsWith("compare") ? crop(cropped, other.end) : cropped;
  const common = other ? crop(cropped, Math.min(map.end, other.end)) : cropped;
  if (working.length === 0 || common.length === 0) {
    say("nothing to do: the domain is empty");
    return ExitCode.ok;
  }
  const writeMap = (result: StatusMap) => {
    const header = { program: `salvage ${version}`, commandLine: job.commandLine, startTime: new Date() };
    const enc = new MapfileEncoder(result, current, header);
    // A reader that went away (`| head`) has what it wanted: stop, successfully.
    for (let p = enc.piece(); p && out(p); p = enc.piece());
    return ExitCode.ok;
  };
  switch (job.op) {
    case "done":
      return isDone(map, working) ? ExitCode.ok : ExitCode.incomplete;
    case "delete-if-done":
      if (!isDone(map, working)) return ExitCode.incomplete;
      if (job.mapfile !== "-") unlinkSync(job.mapfile);
      return ExitCode.ok;
    case "compare":
    case "compare-finished":
      if (mapsAgree(map, other!, working, job.op === "compare-finished")) return ExitCode.ok;
      say(`mapfiles '${escapeText(job.mapfile)}' and '${escapeText(job.other!)}' differ`);
      return ExitCode.incomplete;
    case "list":
      return list(job, map, working, out);
    case "change-types":
      return writeMap(changeTypes(map, working, job.change![0], job.change![1]));
    case "invert":
      return writeMap(invert(map, working));
    default:
      return writeMap(logic(map, other!, working, job.op));
  }
}

/** -t: ddrescuelog's summary of each map, within the domain. */
function showStatus(job: MapJob, out: (text: string) => boolean): number {
  const domainMap = job.domainMap === undefined ? undefined : readMap(job.domainMap, job.loose).map;
  for (const path of [job.mapfile, ...(job.more ?? [])]) {
    const { current, map } = readMap(path);
    const ranges = crop(domainRanges({ ipos: job.ipos, size: job.size, domainMap }), map.end);
    if (ranges.length === 0) {
      if (!job.quiet) process.stderr.write("salvage map: nothing to do: the domain is empty\n");
      continue;
    }
    if (!out(statusText(current, map, ranges, job.binary))) break;
  }
  return ExitCode.ok;
}

/** Thrown through writeBadblocks when the reader of standard output is gone. */
const readerGone = new Error("standard output closed");

function list(job: MapJob, map: StatusMap, ranges: Range[], out: (bytes: Uint8Array) => boolean): number {
  const shift = (job.opos ?? job.ipos ?? 0) - (job.ipos ?? 0);
  if (shift % job.blockSize !== 0) throw new UserError(`the offset between input and output positions (${shift}) must be a multiple of the block size (${job.blockSize})`);
  const view = listedView(map, ranges, shift);
  if (shift < 0 && ranges[0]![0] + shift < 0) throw new UserError("the output position would put listed blocks before 0");
  const types = [...job.types!] as Parameters<typeof writeBadblocks>[2];
  if (countBadblocks(view, job.blockSize, types) > MAX_LIST_LINES) throw new UserError(`the list would hold more than ${MAX_LIST_LINES} blocks of ${job.blockSize} bytes: use a larger block size`);
  try {
    writeBadblocks(view, job.blockSize, types, (bytes) => {
      if (!out(bytes)) throw readerGone;
    });
  } catch (e) {
    if (e !== readerGone) throw e;
  }
  return ExitCode.ok;
}
