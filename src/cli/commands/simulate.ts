// `salvage simulate`: run any command against a simulated failing disk, and the tools
// around it (make, score, from-timing). Options are parsed here by hand: everything after
// `--` belongs to the command, which citty cannot express.
import { defineCommand } from "citty";
import type { CommandWithRawOptions } from "../option-check.ts";
import { ExitCode, UserError } from "../exit.ts";
import { DamageError, MAX_LINES, MAX_LINES_CEILING } from "../../sim/model.ts";
import { CommandStartError, runSimulated } from "../../sim/run.ts";
import type { DamageFormat } from "../../sim/load-damage.ts";
import { parseOptions, type OptionSpec } from "../../sim/cli-options.ts";
import { guardOutputs, type Named } from "../write-guard.ts";
import { curveUsage, fromTimingUsage, makeUsage, scoreUsage } from "./simulate-usage.ts";

const runSpec: OptionSpec = { image: "string", damage: "string", as: "string", stats: "string", trace: "string", record: "string", format: "string", "sleep-scale": "string", "max-damage-lines": "string", "virtual-clock": "boolean" };
const formats: DamageFormat[] = ["salvage", "safecopy-cfg", "ddrescue-map"];

/** `salvage simulate TOOL --help`: the tool's own usage, not the simulator's. */
const toolHelp: Record<string, string> = {
  make: `Make a simulated failing disk: an image and its damage file.\n\nUSAGE ${makeUsage}\n\nPatterns: salvage simulate patterns (docs/damage-format.md)\n`,
  score: `Score a rescue against the damage it met, or the time to data of recorded runs.\n\nUSAGE ${scoreUsage}\n   or: ${curveUsage}\n`,
  "from-timing": `Derive a damage file from a safecopy timing file and bad-block list of a real disk.\n\nUSAGE ${fromTimingUsage}\n`,
  patterns: "Describe the damage patterns of `simulate make` and their parameters.\n\nUSAGE salvage simulate patterns\n",
};

const simulateEpilog = [
  "",
  "USAGE salvage simulate --image IMG --damage FILE [--as PATH] [--stats F] [--trace F|-] [--record F] [--sleep-scale X] [--virtual-clock] -- CMD ARGS...",
  "",
  "TOOLS (each has --help)",
  "",
  "  make IMAGE --size 64MiB --pattern NAME --seed N   make an image and its damage file",
  "  patterns                                          the damage patterns and their parameters",
  "  score IMAGE DAMAGE RESCUED | DAMAGE RECORD...     score a rescue, or the time to data of runs",
  "  from-timing TIMING BADBLOCKS --block-size N       damage from a real disk's safecopy timing",
  "",
  "Damage formats (docs/damage-format.md): salvage damage file, safecopy simulator.cfg, ddrescue mapfile.",
  "",
].join("\n");

const tools: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  make: () => import("./simulate-tools.ts").then((m) => m.makeMain),
  score: () => import("./simulate-tools.ts").then((m) => m.scoreMain),
  patterns: () => import("./simulate-tools.ts").then((m) => m.patternsMain),
  "from-timing": () => import("./simulate-tools.ts").then((m) => m.fromTimingMain),
};

export async function simulateMain(argv: string[]): Promise<number> {
  const tool = tools[argv[0] ?? ""];
  try {
    if (tool) return await (await tool())(argv.slice(1));
    const { options, flags, rest } = parseOptions(argv, runSpec, { stopAtPositional: true });
    if (!options.damage) throw new UserError("simulate: --damage FILE is required (see salvage simulate --help)");
    if (rest.length === 0) throw new UserError("simulate: no command given: salvage simulate --image IMG --damage FILE -- CMD ARGS...");
    const format = options.format as DamageFormat | undefined;
    if (format && !formats.includes(format)) throw new UserError(`simulate: --format is one of ${formats.join(", ")}`);
    // --stats and --trace are written while the image and damage file are read.
    const inputs: Named[] = [{ role: "damage file", path: options.damage }];
    if (options.image) inputs.push({ role: "image", path: options.image });
    const outputs: Named[] = [];
    if (options.stats) outputs.push({ role: "statistics file", path: options.stats });
    if (options.trace && options.trace !== "-") outputs.push({ role: "trace file", path: options.trace });
    guardOutputs(inputs, outputs, { outputs: "stream" });
    // The statistics are renamed into place: never over /dev/null or a device node.
    if (options.stats) guardOutputs([], [outputs[0]!], { outputs: "file", inUse: false });
    const sleepScale = options["sleep-scale"] === undefined ? undefined : Number(options["sleep-scale"]);
    if (sleepScale !== undefined && !(sleepScale >= 0)) throw new UserError("simulate: --sleep-scale is a number >= 0");
    const maxDamageLines = options["max-damage-lines"] === undefined ? undefined : Number(options["max-damage-lines"]);
    if (maxDamageLines !== undefined && !(Number.isSafeInteger(maxDamageLines) && maxDamageLines >= 1 && maxDamageLines <= MAX_LINES_CEILING))
      throw new UserError(`simulate: --max-damage-lines is a whole number from 1 to ${MAX_LINES_CEILING}`);
    const stopSignals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
    // The command shares our terminal and gets the same signals; we wait for it so the
    // statistics are still written.
    const ignore = () => undefined;
    for (const s of stopSignals) process.on(s, ignore);
    try {
      const r = await runSimulated({
        image: options.image,
        damage: options.damage,
        damageFormat: format,
        as: options.as,
        stats: options.stats,
        trace: options.trace,
        record: options.record,
        sleepScale,
        virtualClock: flags.has("virtual-clock"),
        maxDamageLines,
        argv: rest,
      });
      return r.exitCode;
    } finally {
      for (const s of stopSignals) process.off(s, ignore);
    }
  } catch (e) {
    if (e instanceof DamageError) throw new UserError(e.message);
    if (e instanceof CommandStartError) throw new UserError(e.message, e.exitCode);
    throw e;
  }
}

const command: CommandWithRawOptions = defineCommand({
  meta: {
    name: "simulate",
    description: "Run a command against a simulated failing disk; make, score and derive damage (see `salvage simulate --help`)",
  },
  args: {
    image: { type: "string", description: "backing image (a simulator.cfg may name it as source=)" },
    damage: { type: "string", description: "damage file, safecopy simulator.cfg or ddrescue mapfile" },
    as: { type: "string", description: "virtual path CMD opens (default: the image itself; 'debug' for a simulator.cfg)" },
    stats: { type: "string", description: "write statistics as JSON to this file when CMD exits" },
    trace: { type: "string", description: "trace every simulated read/seek to this file ('-' = stderr)" },
    record: { type: "string", description: "record every read with its virtual time in this new binary file (for simulate score)" },
    format: { type: "string", description: "force the damage format: salvage, safecopy-cfg, ddrescue-map" },
    "max-damage-lines": { type: "string", description: `lines the damage file may have [${MAX_LINES}], up to ${MAX_LINES_CEILING} (benchmarks of millions of bad areas)` },
    "sleep-scale": { type: "string", description: "really sleep virtual time x this factor (overrides the damage file; 0 = never)" },
    "virtual-clock": { type: "boolean", description: "CMD's clocks include the virtual time its reads took and did not sleep: a tool timing its reads sees a slow drive" },
  },
  async run({ rawArgs }) {
    return simulateMain(rawArgs);
  },
});
// Its own parser rejects unknown options; everything after `--` is the wrapped command's.
command.rawOptions = { ownParser: true, help: (rest) => toolHelp[rest.find((w) => !w.startsWith("-")) ?? ""] ?? null, epilog: simulateEpilog };
export default command;
