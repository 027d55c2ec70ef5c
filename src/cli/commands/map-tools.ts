// ddrescuelog's jobs under salvage's own names: `salvage map done|delete-if-done|compare|
// list|change-types|invert|xor|and|or`. Each builds the same MapJob as ddrescuelog's letters
// (map-log/ddrescuelog-args.ts) and runs it (map-log/job.ts); docs/map-tools.md has the table.
import { defineCommand, type ArgsDef } from "citty";
import { UserError } from "../exit.ts";
import { changeArgument, statusTypes } from "../map-log/ddrescuelog-args.ts";
import { MAX_BLOCK_SIZE, runMapJob, type MapJob, type MapOp } from "../map-log/job.ts";
import { sizeArg } from "../rescue/rescue-options.ts";

const domainArgs = {
  "input-position": { type: "string", alias: "i", description: "start of the domain, bytes (ddrescuelog -i) [0]" },
  size: { type: "string", alias: "s", description: "bytes of the domain (ddrescuelog -s) [to the end]" },
  domain: { type: "string", alias: "m", valueHint: "MAP", description: "only the finished blocks of this map (ddrescuelog -m)" },
  "loose-domain": { type: "boolean", alias: "L", description: "the domain map may be unsorted and have gaps (ddrescuelog -L)" },
  quiet: { type: "boolean", alias: "q", description: "no messages" },
} as const satisfies ArgsDef;

const mapArg = { mapfile: { type: "positional", required: true, description: "GNU ddrescue mapfile ('-': standard input)" } } as const satisfies ArgsDef;
const otherArg = { other: { type: "positional", required: true, description: "the second mapfile" } } as const satisfies ArgsDef;

function job(op: MapOp, args: Record<string, unknown>, extra: Partial<MapJob> = {}): MapJob {
  const blockSize = sizeArg("block-size", args["block-size"]) ?? 512;
  if (blockSize < 1 || blockSize > MAX_BLOCK_SIZE) throw new UserError(`--block-size: '${args["block-size"]}' is out of range: accepted 1 to ${MAX_BLOCK_SIZE} bytes`);
  return {
    op,
    mapfile: String(args.mapfile),
    other: args.other === undefined ? undefined : String(args.other),
    blockSize,
    ipos: sizeArg("input-position", args["input-position"]),
    opos: sizeArg("output-position", args["output-position"]),
    size: sizeArg("size", args.size),
    domainMap: args.domain === undefined ? undefined : String(args.domain),
    loose: !!args["loose-domain"],
    quiet: !!args.quiet,
    commandLine: ["salvage", ...process.argv.slice(2)].join(" "),
    ...extra,
  };
}

/** A subcommand that writes a resulting map to standard output, or answers with its exit code. */
function tool(name: string, op: MapOp, description: string, args: ArgsDef, extra: (a: Record<string, unknown>) => Partial<MapJob> = () => ({})) {
  return defineCommand({
    meta: { name, description },
    args: { ...args, ...domainArgs },
    run: ({ args: a }) => runMapJob(job(op, a, extra(a))),
  });
}

const toStdout = " to standard output";

export const mapTools = {
  done: tool("done", "done", "Exit 0 if every block of the domain is finished, else 1 (ddrescuelog -D)", mapArg),
  "delete-if-done": tool("delete-if-done", "delete-if-done", "Delete MAPFILE if every block of the domain is finished (exit 0), else keep it (exit 1) (ddrescuelog -d)", mapArg),
  compare: tool("compare", "compare", "Exit 0 if both maps give every byte of the domain the same status, else 1 (ddrescuelog -p; -P with --finished-only)", {
    ...mapArg,
    ...otherArg,
    "finished-only": { type: "boolean", description: "compare only which blocks are finished (ddrescuelog -P)" },
  }, (a) => (a["finished-only"] ? { op: "compare-finished" } : {})),
  list: tool("list", "list", "Print the numbers of the blocks (sectors) holding any byte of the given types (ddrescuelog -l)", {
    ...mapArg,
    types: { type: "string", alias: "t", description: "statuses to list, from '?*/-+' [?*/-]" },
    "block-size": { type: "string", alias: "b", description: "bytes per listed block (ddrescuelog -b) [512]" },
    "output-position": { type: "string", alias: "o", description: "where --input-position lands in the numbering (ddrescuelog -o) [same]" },
  }, (a) => ({ types: statusTypes(String(a.types ?? "?*/-"), "--types") })),
  "change-types": tool("change-types", "change-types", `Turn statuses in OLD into the ones at the same place in NEW (like tr), the map${toStdout} (ddrescuelog -a)`, {
    ...mapArg,
    old: { type: "positional", required: true, description: "statuses to change, e.g. '*/'" },
    new: { type: "positional", required: true, description: "what they become, e.g. '?' (its last one repeats)" },
  }, (a) => ({ change: changeArgument(`${a.old},${a.new}`) })),
  invert: tool("invert", "invert", `Finished becomes bad-sector and the rest finished, the map${toStdout} (ddrescuelog -n)`, mapArg),
  xor: tool("xor", "xor", `Finished where exactly one map is finished, the map${toStdout} (ddrescuelog -x)`, { ...mapArg, ...otherArg }),
  and: tool("and", "and", `Finished where both maps are finished, the map${toStdout} (ddrescuelog -y)`, { ...mapArg, ...otherArg }),
  or: tool("or", "or", `Finished where either map is finished, the map${toStdout} (ddrescuelog -z)`, { ...mapArg, ...otherArg }),
};
