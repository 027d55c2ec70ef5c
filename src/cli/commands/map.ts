// `salvage map show MAPFILE [--svg F] [--png F]` and `salvage map convert IN OUT`.
// Every tool streams: memory follows the number of extents in the map, never the device size.
import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { BadblocksError } from "../../formats/badblocks.ts";
import { badblocksToMap, countBadblocks, UnsortedListError, writeBadblocks } from "../../formats/map-convert.ts";
import { feedFromFile, loadMapFile, type LoadedMap } from "../../formats/mapfile-load.ts";
import { MapfileError } from "../../formats/mapfile-parse.ts";
import { MapfileEncoder } from "../../formats/mapfile-write.ts";
import { mapToSvg } from "../../formats/map-svg.ts";
import { isBlockStatus, statusNames, type BlockStatus } from "../../rescue/mapfile/status.ts";
import { AtomicFileStream } from "../../util/atomic-file-stream.ts";
import { humanBytes } from "../../util/units.ts";
import { ExitCode, UserError } from "../exit.ts";
import { svgToPng } from "../svg-to-png.ts";
import { loadMapfile, writeEncodedAtomically } from "../rescue/map-store.ts";
import { intArg, sizeArg } from "../rescue/rescue-options.ts";
import { guardOutputs, type Named } from "../write-guard.ts";
import { terminalGrid } from "../progress/map-grid.ts";
import { escapeText } from "../../util/escape.ts";
import used from "./map-used.ts";
import { mapTools } from "./map-tools.ts";
import type { CommandWithRawOptions } from "../option-check.ts";
import { mapSummaryJson } from "../../formats/map-summary.ts";

function readMap(path: string): LoadedMap {
  const m = loadMapfile(path);
  if (!m) throw new UserError(`mapfile '${path}' does not exist`);
  return m;
}

/** Write through a temporary file, so a reader never sees half an output. */
function writeAtomically(path: string, text: string): void {
  writeEncodedAtomically(path, once(Buffer.from(text)));
}

function once(bytes: Uint8Array): { piece(): Uint8Array | null } {
  let done = false;
  return { piece: () => (done ? null : ((done = true), bytes)) };
}

/** Bad-block lists count blocks of at most this size (safecopy's -b is far smaller). */
const MAX_LIST_BLOCK = 1 << 30;
/** Lines of a bad-block list: streamed, but at most ~1.5 GB of text (a 2^52-byte bad area must not fill the disk). */
const MAX_LIST_LINES = 2 ** 27;
/** A picture of at most this many cells per side (each cell is an SVG element). */
const MAX_CELLS = 1024;

const show = defineCommand({
  meta: { name: "show", description: "Summarize a ddrescue mapfile; draw it with --svg (and --png)" },
  args: {
    mapfile: { type: "positional", required: true, description: "GNU ddrescue mapfile" },
    svg: { type: "string", description: "write a ddrescueview-style picture to this SVG file" },
    png: { type: "string", description: "write a PNG picture (needs rsvg-convert, Debian librsvg2-bin)" },
    json: { type: "boolean", description: "print the summary as JSON (sizes in bytes)" },
    columns: { type: "string", description: "cells per row [96]" },
    rows: { type: "string", description: "rows of cells [48]" },
  },
  run({ args }) {
    const outputs: Named[] = [];
    if (args.svg) outputs.push({ role: "SVG file", path: String(args.svg) });
    if (args.png) outputs.push({ role: "PNG file", path: String(args.png) });
    guardOutputs([{ role: "mapfile", path: String(args.mapfile) }], outputs, { outputs: "file" });
    const m = readMap(String(args.mapfile));
    const map = m.map;
    const t = map.totals();
    const size = map.end;
    const lines = [`${escapeText(String(args.mapfile))}: ${humanBytes(size)}, ${map.count} blocks, status '${m.current.status}' pass ${m.current.pass} at 0x${m.current.pos.toString(16).toUpperCase()}`];
    for (const s of ["+", "?", "*", "/", "-"] as BlockStatus[]) {
      lines.push(`  ${s} ${statusNames[s].padEnd(12)} ${String(t[s]).padStart(14)} bytes  ${humanBytes(t[s]).padStart(10)}  ${size ? ((100 * t[s]) / size).toFixed(2) : "0.00"}%`);
    }
    lines.push(`  bad areas: ${map.badAreas()}`);
    process.stdout.write(args.json ? JSON.stringify(mapSummaryJson(String(args.mapfile), m)) + "\n" : lines.join("\n") + "\n");
    if (args.svg || args.png) {
      const svg = mapToSvg(map, { title: basename(String(args.mapfile)), columns: intArg("columns", args.columns, 1, MAX_CELLS), rows: intArg("rows", args.rows, 1, MAX_CELLS) });
      if (args.svg) writeAtomically(String(args.svg), svg);
      // A PNG alone leaves no SVG beside it: the picture goes to the converter's stdin.
      if (args.png) svgToPng(svg, String(args.png));
    } else if (process.stdout.isTTY && !args.json) {
      // No picture asked for: draw the grid on the terminal (ddrescueview's view, in cells).
      const size = (n: unknown) => (n === undefined ? undefined : intArg("columns", n, 1, MAX_CELLS));
      process.stdout.write(terminalGrid(map, { width: process.stdout.columns || 80, height: Math.min(24, (process.stdout.rows || 24) - lines.length - 2), columns: size(args.columns), rows: size(args.rows), colour: !process.env.NO_COLOR && process.env.TERM !== "dumb" }));
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
    const blockSize = sizeArg("block-size", args["block-size"]) ?? 512;
    if (blockSize <= 0 || blockSize > MAX_LIST_BLOCK) throw new UserError(`--block-size: '${args["block-size"]}' is out of range: accepted 1 to ${MAX_LIST_BLOCK} bytes`);
    const input = String(args.input);
    const output = String(args.output);
    // The direction is guessed from IN: with IN and OUT swapped, an in-progress mapfile was
    // once replaced by a map made from a bad-block list. An existing OUTPUT needs --force.
    guardOutputs([{ role: "input", path: input }], [{ role: "output", path: output }], { outputs: "file" });
    if (existsSync(output) && !args.force) throw new UserError(`'${output}' exists: refusing to replace it (are IN and OUT the right way round?); use --force to replace it`);
    if (!existsSync(input)) throw new UserError(`'${input}' does not exist`);
    let map: LoadedMap | null = null;
    try {
      map = loadMapFile(input);
    } catch (e) {
      if (!(e instanceof MapfileError)) throw new UserError(`cannot read '${input}': ${(e as Error).message}`);
    }
    if (map) {
      const types = String(args.types ?? "?*/-");
      if (![...types].every(isBlockStatus)) throw new UserError(`--types: expected characters from '?*/-+': '${types}'`);
      const lines = countBadblocks(map.map, blockSize, [...types] as BlockStatus[]);
      if (lines > MAX_LIST_LINES) throw new UserError(`map convert: the list would hold more than ${MAX_LIST_LINES} blocks of ${blockSize} bytes: use a larger block size`);
      const out = new AtomicFileStream(output);
      try {
        writeBadblocks(map.map, blockSize, [...types] as BlockStatus[], (bytes) => out.write(bytes));
      } catch (e) {
        out.abort();
        throw e;
      }
      out.commitNow();
      return ExitCode.ok;
    }
    let list;
    try {
      list = badblocksToMap((push) => feedFromFile(input, push), blockSize, sizeArg("size", args.size));
    } catch (e) {
      if (e instanceof UnsortedListError) throw new UserError(`'${input}': ${e.message}`);
      if (e instanceof BadblocksError) throw new UserError(`map convert: ${e.message}`);
      throw e;
    }
    if (list.entries === 0 && list.sawText) throw new UserError(`'${input}' is neither a ddrescue mapfile nor a bad-block list`);
    const header = { program: "salvage map convert", commandLine: `salvage map convert ${input} ${output}`, startTime: new Date(), message: "Finished" };
    // The status line ddrescuelog -c writes: nothing tried yet in this (new) rescue.
    writeEncodedAtomically(output, new MapfileEncoder(list.map, { pos: 0, status: "?", pass: 1 }, header));
    return ExitCode.ok;
  },
});

const command: CommandWithRawOptions = defineCommand({
  meta: { name: "map", description: "Show, convert, test, compare and combine ddrescue mapfiles (ddrescuelog's options too)" },
  subCommands: { show, convert, used, ...mapTools },
});
command.rawOptions = {
  epilog: [
    "",
    "ddrescuelog's own options work as well (docs/map-tools.md has the table):",
    "  salvage map -t|-D|-d|-n|-p FILE|-P FILE|-l TYPES|-a OLD,NEW|-x FILE|-y FILE|-z FILE",
    "              [-b BYTES] [-i POS] [-o POS] [-s SIZE] [-m DOMAINMAP] [-L] [-B] [-q] MAPFILE",
    "  e.g. salvage map -D disk.map && echo done;  salvage map -l- -b4096 disk.map > bad.list",
    "",
  ].join("\n"),
};
export default command;
