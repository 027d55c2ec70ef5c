// `salvage map show MAPFILE [--svg F] [--png F]` and `salvage map convert IN OUT`.
import { defineCommand } from "citty";
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { BadblocksError, parseBadblocks } from "../../formats/badblocks.ts";
import { badblocksToMap, mapToBadblocks } from "../../formats/map-convert.ts";
import { MapfileError, parseMapfile, serializeMapfile, type Mapfile } from "../../formats/mapfile.ts";
import { mapToSvg } from "../../formats/map-svg.ts";
import { isBlockStatus, statusNames, type BlockStatus } from "../../rescue/mapfile/status.ts";
import { StatusMap } from "../../rescue/mapfile/status-map.ts";
import { writeTextAtomically } from "../../util/atomic-file.ts";
import { humanBytes } from "../../util/units.ts";
import { ExitCode, UserError } from "../exit.ts";
import { svgToPng } from "../svg-to-png.ts";
import { loadMapfile } from "../rescue/map-store.ts";
import { intArg, sizeArg } from "../rescue/rescue-options.ts";
import { guardOutputs, type Named } from "../write-guard.ts";

function readMap(path: string): Mapfile {
  const m = loadMapfile(path);
  if (!m) throw new UserError(`mapfile '${path}' does not exist`);
  return m;
}

/** rsvg-convert writes to our own exclusively created temporary file (its stdout), never to a name. */
/** Bad-block lists count blocks of at most this size (safecopy's -b is far smaller). */
const MAX_LIST_BLOCK = 1 << 30;
/** A picture of at most this many cells per side (each cell is an SVG element). */
const MAX_CELLS = 1024;

const show = defineCommand({
  meta: { name: "show", description: "Summarize a ddrescue mapfile; draw it with --svg (and --png)" },
  args: {
    mapfile: { type: "positional", required: true, description: "GNU ddrescue mapfile" },
    svg: { type: "string", description: "write a ddrescueview-style picture to this SVG file" },
    png: { type: "string", description: "also write a PNG (needs rsvg-convert, Debian librsvg2-bin)" },
    columns: { type: "string", description: "cells per row [96]" },
    rows: { type: "string", description: "rows of cells [48]" },
  },
  run({ args }) {
    const outputs: Named[] = [];
    if (args.svg) outputs.push({ role: "SVG file", path: String(args.svg) });
    if (args.png) outputs.push({ role: "PNG file", path: String(args.png) }, ...(args.svg ? [] : [{ role: "SVG file", path: `${args.png}.svg` }]));
    guardOutputs([{ role: "mapfile", path: String(args.mapfile) }], outputs, { outputs: "file" });
    const m = readMap(String(args.mapfile));
    const map = StatusMap.fromExtents(m.blocks);
    const t = map.totals();
    const size = map.end;
    const lines = [`${args.mapfile}: ${humanBytes(size)}, ${map.count} blocks, status '${m.current.status}' pass ${m.current.pass} at 0x${m.current.pos.toString(16).toUpperCase()}`];
    for (const s of ["+", "?", "*", "/", "-"] as BlockStatus[]) {
      lines.push(`  ${s} ${statusNames[s].padEnd(12)} ${String(t[s]).padStart(14)} bytes  ${humanBytes(t[s]).padStart(10)}  ${size ? ((100 * t[s]) / size).toFixed(2) : "0.00"}%`);
    }
    lines.push(`  bad areas: ${map.badAreas()}`);
    process.stdout.write(lines.join("\n") + "\n");
    if (args.svg || args.png) {
      const svg = mapToSvg(m.blocks, { title: basename(String(args.mapfile)), columns: intArg("columns", args.columns, 1, MAX_CELLS), rows: intArg("rows", args.rows, 1, MAX_CELLS) });
      const svgPath = args.svg ? String(args.svg) : `${args.png}.svg`;
      writeTextAtomically(svgPath, svg);
      if (args.png) svgToPng(svgPath, String(args.png));
    }
    return ExitCode.ok;
  },
});

const convert = defineCommand({
  meta: { name: "convert", description: "Convert between a ddrescue mapfile and a safecopy/e2fsck bad-block list (direction detected from IN)" },
  args: {
    input: { type: "positional", required: true, description: "mapfile or bad-block list" },
    output: { type: "positional", required: true, description: "file to write" },
    "block-size": { type: "string", alias: "b", description: "bytes per listed block (safecopy's -b) [512]" },
    size: { type: "string", description: "device size, when turning a list into a mapfile (else: up to the last listed block)" },
    types: { type: "string", description: "map states listed as bad, when turning a mapfile into a list [?*/-]" },
    force: { type: "boolean", alias: "f", description: "replace OUTPUT if it exists" },
  },
  run({ args }) {
    // The direction is guessed from IN: with IN and OUT swapped, an in-progress mapfile was
    // once replaced by a map made from a bad-block list. An existing OUTPUT needs --force.
    const output = String(args.output);
    guardOutputs([{ role: "input", path: String(args.input) }], [{ role: "output", path: output }], { outputs: "file" });
    if (existsSync(output) && !args.force) throw new UserError(`'${output}' exists: refusing to replace it (are IN and OUT the right way round?); use --force to replace it`);
    try {
      return convertFiles(args);
    } catch (e) {
      if (e instanceof BadblocksError) throw new UserError(`map convert: ${e.message}`);
      throw e;
    }
  },
});

function convertFiles(args: { input: string; output: string; "block-size"?: string; size?: string; types?: string }): number {
  const blockSize = sizeArg("block-size", args["block-size"]) ?? 512;
  if (blockSize <= 0 || blockSize > MAX_LIST_BLOCK) throw new UserError(`--block-size: '${args["block-size"]}' is out of range: accepted 1 to ${MAX_LIST_BLOCK} bytes`);
  let text: string;
  try {
    text = readFileSync(String(args.input), "latin1");
  } catch (e) {
    throw new UserError(`cannot read '${args.input}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let map: Mapfile | null = null;
  try {
    map = parseMapfile(text);
  } catch (e) {
    if (!(e instanceof MapfileError)) throw e;
  }
  if (map) {
    const types = String(args.types ?? "?*/-");
    if (![...types].every(isBlockStatus)) throw new UserError(`--types: expected characters from '?*/-+': '${types}'`);
    writeTextAtomically(String(args.output), mapToBadblocks(map.blocks, blockSize, [...types] as BlockStatus[]));
    return ExitCode.ok;
  }
  const list = parseBadblocks(text);
  if (list.blocks.length === 0 && text.trim() !== "") throw new UserError(`'${args.input}' is neither a ddrescue mapfile nor a bad-block list`);
  if (list.unsortedAt !== null) throw new UserError(`'${args.input}': bad-block list not sorted at entry ${list.unsortedAt + 1}`);
  const out = badblocksToMap(list.blocks, blockSize, sizeArg("size", args.size));
  writeTextAtomically(String(args.output), serializeMapfile(out, { program: "salvage map convert", commandLine: `salvage map convert ${args.input} ${args.output}`, startTime: new Date(), message: "Finished" }));
  return ExitCode.ok;
}

export default defineCommand({
  meta: { name: "map", description: "Show, draw and convert GNU ddrescue mapfiles" },
  subCommands: { show, convert },
});
