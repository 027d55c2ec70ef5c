// Everything `salvage rescue` opens before the engine starts, with the safety checks a
// ddrescue user relies on: the source is opened read-only; source, target and mapfile
// must be three different files, and neither output may reach the source under another
// name (write-guard.ts) or be in use; a device is written only with --force; a map that
// records finished data past the end of the source is refused; the map's location is
// proved writable before the first read.
import { existsSync } from "node:fs";
import { FileSource } from "../../io/file-source.ts";
import { FileTarget } from "../../io/file-target.ts";
import type { Source } from "../../io/source.ts";
import { alignedBuffer } from "../../native/aligned.ts";
import { statPath, type FileStat } from "../../native/stat.ts";
import { Domain, type Range } from "../../rescue/mapfile/domain.ts";
import { resolveOptions, type RescueOptions } from "../../rescue/mapfile/options.ts";
import { StatusMap } from "../../rescue/mapfile/status-map.ts";
import { statusCode } from "../../rescue/mapfile/extent-chunk.ts";
import { isBlockStatus, type BlockStatus } from "../../rescue/mapfile/status.ts";
import { DelayedSource, SectorSizeSource, TestModeSource } from "../../rescue/mapfile/test-mode-source.ts";
import { markForRetry } from "../../rescue/mapfile/try-again.ts";
import type { RescueTarget } from "../../rescue/mapfile/context.ts";
import type { MapfileStatus } from "../../formats/mapfile.ts";
import { UserError } from "../exit.ts";
import { loadMapfile, proveMapWritable } from "./map-store.ts";
import { readLearned } from "./learned-file.ts";
import { learnedPath, type LearnedState } from "../../rescue/mapfile/learned-state.ts";
import { engineOptions, placementArgs, sectorSizeArg } from "./rescue-options.ts";
import { preallocate } from "./preallocate.ts";
import { confirmDevices } from "./ask.ts";
import { guardOutputs } from "../write-guard.ts";
import { humanBytes } from "../../util/units.ts";

export interface RescueJob {
  source: Source;
  target: FileTarget;
  /** Where the engine writes: the target, shifted by --output-position minus --input-position. */
  output: RescueTarget;
  /** That shift: --output-position minus --input-position (opos - ipos). */
  outputShift: number;
  map: StatusMap;
  domain: Domain;
  options: RescueOptions;
  buffer: Uint8Array;
  mapPath: string;
  resume?: MapfileStatus;
  /** What an earlier run learned about the drive (MAP.learned), when the map was there too. */
  learned: LearnedState | null;
  /** Why a MAP.learned that is there is not used, or null. */
  learnedNote: string | null;
  fillTypes?: BlockStatus[];
  extendTo(length: number): void;
  /** Close and open the source again (--reopen-on-error). */
  reopenSource(): void;
  close(): void;
}

function statOrNull(path: string): FileStat | null {
  try {
    return statPath(path);
  } catch {
    return null;
  }
}

/** The log files asked for (--log-rates, --log-reads, --log-events): outputs like the map. */
export const LOG_OPTIONS = ["log-rates", "log-reads", "log-events"] as const;

export function prepareRescue(args: Record<string, unknown>): RescueJob {
  const srcPath = String(args.src);
  const dstPath = String(args.dst);
  const mapPath = String(args.mapfile);
  const srcStat = statOrNull(srcPath);
  if (!srcStat) throw new UserError(`cannot open '${srcPath}': no such file or device`);
  const logs = LOG_OPTIONS.filter((k) => args[k] !== undefined).map((k) => ({ role: `--${k} file`, path: String(args[k]) }));
  const outputs = [{ role: "destination", path: dstPath }, { role: "mapfile", path: mapPath }, { role: "mapfile's learned state", path: learnedPath(mapPath) }, ...logs];
  guardOutputs([{ role: "source", path: srcPath }], outputs);
  // The maps read for --domain and --test-mode are inputs too: never the image.
  const readMaps = (["domain", "test-mode"] as const).filter((k) => args[k] !== undefined).map((k) => ({ role: `--${k} mapfile`, path: String(args[k]) }));
  guardOutputs(readMaps, [{ role: "destination", path: dstPath }], { inUse: false });
  const dstStat = statOrNull(dstPath);
  const mapStat = statOrNull(mapPath);
  if (mapStat && mapStat.kind !== "regular") throw new UserError(`mapfile '${mapPath}' is not a regular file`);
  if (dstStat && dstStat.kind !== "regular" && !args.force) {
    throw new UserError(`'${dstPath}' exists and is not a regular file; use --force to overwrite it (everything on it may be lost)`);
  }
  const fillTypes = parseFillTypes(args["fill-mode"]);

  const file = new FileSource(srcPath, { direct: !!args.direct });
  let source: Source = file;
  if (args["test-mode"] !== undefined) {
    const test = loadMapfile(String(args["test-mode"]), true);
    if (!test) throw new UserError(`test-mode mapfile '${args["test-mode"]}' does not exist`);
    source = new TestModeSource(source, test.map.extents());
  }
  // Test-only: slow every read so kill/resume tests can interrupt at any point.
  const delay = Number(process.env.SALVAGE_TEST_READ_DELAY_MS ?? 0);
  if (delay > 0) source = new DelayedSource(source, delay);
  const sector = sectorSizeArg(args, source.sectorSize);
  if (sector !== source.sectorSize) source = new SectorSizeSource(source, sector);
  const place = placementArgs(args, sector);
  const size = source.size;
  if (size === null) {
    if (statOrNull(srcPath)?.kind === "directory") throw new UserError(`cannot rescue '${srcPath}': it is a directory (give the device or image file)`);
    throw new UserError(`'${srcPath}' has no known size (pipes are not supported by rescue; use 'salvage copy')`);
  }

  const loaded = loadMapfile(mapPath);
  let map: StatusMap;
  if (loaded) {
    map = loaded.map;
    if (map.lastEndOf("+") > size) throw new UserError(`${mapPath}: rescued data in the mapfile goes past the end of '${srcPath}' (wrong source?)`);
    // A map shorter than the source is extended with non-tried space (ddrescue does the same).
    if (map.end < size) map.sealAppends(size, map.end);
    if (args.truncate && map.lastEndOf("+") > 0) throw new UserError(`--truncate would empty '${dstPath}', which holds data the mapfile '${mapPath}' records as rescued; start a new rescue with a new mapfile, or drop --truncate`);
    if (!args.truncate) checkDestinationHoldsMap(map.lastEndOf("+") + place.shift, dstPath, dstStat, !!args.sparse);
  } else {
    if (existsSync(mapPath)) throw new UserError(`cannot read mapfile '${mapPath}'`);
    map = new StatusMap(size);
  }

  let ranges: Range[] = size > 0 ? [[0, size]] : [];
  if (args.domain !== undefined) {
    const dm = loadMapfile(String(args.domain), true);
    if (!dm) throw new UserError(`domain mapfile '${args.domain}' does not exist`);
    ranges = [];
    dm.map.scan((a, b, code) => {
      if (a >= size) return false;
      if (code === statusCode("+")) ranges.push([a, Math.min(size, b)]);
    });
  }
  // -i and -s: only [inputPos, inputPos + size) of the source (ddrescue's rescue domain).
  const limit = place.size === null ? size : Math.min(size, place.inputPos + place.size);
  if (place.inputPos > size) throw new UserError(`--input-position: ${place.inputPos} is past the end of '${srcPath}' (${size} bytes)`);
  ranges = ranges.map(([a, b]): Range => [Math.max(a, place.inputPos), Math.min(b, limit)]).filter(([a, b]) => a < b);
  const domain = new Domain(ranges);
  const moved = markForRetry(map, domain, !!args["try-again"], !!args.retrim);
  const given = engineOptions(args, sector);
  checkSkipSizes(given, size);
  const options = resolveOptions(given, domain.size, source.sectorSize);
  if (args.direct && options.cluster % source.alignment !== 0) throw new UserError(`--cluster must be a multiple of ${source.alignment} with --direct`);

  proveMapWritable(mapPath, map, loaded?.current ?? { pos: 0, status: "?", pass: 1 });
  // Only beside a map it belongs to: with a new map, an old file there is stale (and replaced at the first save).
  const learned = loaded ? readLearned(mapPath, size, source.sectorSize) : { state: null, note: null };
  if (args.truncate && dstStat && dstStat.kind !== "regular") throw new UserError(`--truncate: '${dstPath}' is not a regular file (only image files can be truncated)`);
  // Last, once every check has passed: nothing has been written yet.
  if (args.ask) confirmDevices(srcPath, size, dstPath, dstStat?.size ?? null);
  const target = new FileTarget(dstPath, { truncate: !!args.truncate });
  const shift = place.shift;
  const output: RescueTarget = shift === 0 ? target : { write: (buf, length, pos) => target.write(buf, length, pos + shift) };
  // -p: reserve the image's space now, so a full disk is found before the first read.
  if (args.preallocate) {
    const last = ranges.length ? ranges[ranges.length - 1]![1] : 0;
    const first = ranges.length ? ranges[0]![0] : 0;
    if (target.isDevice) throw new UserError(`--preallocate: '${dstPath}' is a device (only image files can be preallocated)`);
    preallocate(target, dstPath, first + shift, last - first);
  }
  // O_DIRECT: page-aligned, and one alignment unit larger so a domain end that is not on a
  // sector boundary is still read as a whole sector (as ddrescue does).
  const bufferSize = Math.max(options.cluster, options.healthyRead);
  const buffer = args.direct ? alignedBuffer(bufferSize + source.alignment, 4096) : new Uint8Array(bufferSize);
  return {
    source,
    target,
    output,
    outputShift: shift,
    map,
    domain,
    options,
    buffer,
    mapPath,
    // Areas sent back to an earlier phase (-A, -M): start again from copying.
    resume: moved > 0 ? undefined : loaded?.current,
    learned: learned.state,
    learnedNote: learned.note,
    fillTypes,
    extendTo(length: number) {
      // Sparse output: zero blocks were skipped, so make the file as long as the data.
      length += shift;
      if (!target.isDevice && target.stat.size < length && statPath(dstPath).size < length) target.truncate(length);
    },
    reopenSource() {
      file.reopen();
    },
    close() {
      source.close();
      target.close();
    },
  };
}

/**
 * A map that records rescued data describes one particular image. Continuing it into a
 * missing (or, without --sparse, shorter) destination would present holes as rescued.
 */
function checkDestinationHoldsMap(lastFinished: number, dstPath: string, dst: FileStat | null, sparse: boolean): void {
  if (lastFinished === 0 || (dst && dst.kind !== "regular")) return;
  if (!dst) throw new UserError(`the mapfile records rescued data but '${dstPath}' does not exist: wrong destination? (start a new rescue with a new mapfile)`);
  if (!sparse && dst.size < lastFinished) throw new UserError(`the mapfile records rescued data up to byte ${lastFinished} but '${dstPath}' has only ${dst.size} bytes: wrong destination?`);
}

/** A skip is a distance on the source: no longer than the source, and MAX not below INITIAL. */
function checkSkipSizes(o: Partial<RescueOptions>, size: number): void {
  for (const v of [o.skipInitial, o.skipMax]) {
    if (v !== undefined && v > size) throw new UserError(`--skip-size: ${humanBytes(v)} is larger than the source (${humanBytes(size)}): accepted 0 (no skipping) to ${size} bytes`);
  }
  if (o.skipMax !== undefined && o.skipMax > 0 && o.skipMax < (o.skipInitial ?? 0)) throw new UserError("--skip-size: MAX is smaller than INITIAL");
}

function parseFillTypes(text: unknown): BlockStatus[] | undefined {
  if (text === undefined || text === "") return undefined;
  const chars = [...String(text)];
  if (!chars.every(isBlockStatus)) throw new UserError(`--fill-mode: expected status characters from '?*/-+': '${text}'`);
  return chars as BlockStatus[];
}
