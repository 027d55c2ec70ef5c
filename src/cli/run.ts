// Dispatch: the program name picks the applet (busybox style), then the first argument
// picks a subcommand. safecopy's option syntax cannot be parsed by citty, so `copy` and
// the `safecopy` name go to their own parser.
import { defineCommand, runCommand, showUsage, type CommandDef } from "citty";
import pkg from "../../package.json" with { type: "json" };
import { subCommands } from "./commands/index.ts";
import { ExitCode, reportError } from "./exit.ts";
import { safecopyMain } from "./safecopy-mode.ts";
import { findUnknownOption, optionTable, type CommandWithRawOptions } from "./option-check.ts";
import { parseMode, setOutputMode } from "../util/output-mode.ts";
import { ddrescuelogMain, isDdrescuelogSyntax } from "./map-log/ddrescuelog-main.ts";

export const version = pkg.version;

export const mainCommand = defineCommand({
  meta: { name: "salvage", version, description: "Get data back: rescue failing media, simulate bad media, undelete from BSD filesystems" },
  // Taken off argv before dispatch (takeModeOption); declared here so that --help shows it.
  args: { mode: { type: "string", valueHint: "octal", description: "before the command: mode of the files it creates (default 0600, private; docs/security.md)" } },
  subCommands: {
    ...subCommands,
    copy: { meta: { name: "copy", description: "Rescue SRC to DST with safecopy 1.7's options and behaviour (see `salvage copy --help`)" } },
  },
});

export async function run(programName: string, argv: string[]): Promise<number> {
  if (programName === "safecopy") return safecopyMain(argv, "safecopy");
  const mode = takeModeOption(argv);
  if (typeof mode === "string") {
    process.stderr.write(`salvage: ${mode}\n`);
    return ExitCode.fatal;
  }
  argv = mode;
  if (argv[0] === "copy") return safecopyMain(argv.slice(1), "salvage copy");
  if (argv[0] === "map" && isDdrescuelogSyntax(argv.slice(1))) return ddrescuelogMain(argv.slice(1));
  try {
    if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
      process.stdout.write(`salvage ${version}\n`);
      return ExitCode.ok;
    }
    const { cmd, parent, rest } = await resolve(mainCommand, argv);
    // Options after `--` belong to a wrapped command (`simulate -- ddrescue --help`), not to us.
    const own = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
    if (own.includes("--help") || own.includes("-h") || (cmd === mainCommand && argv.length === 0)) {
      await showUsage(cmd, parent);
      return argv.length === 0 ? ExitCode.fatal : ExitCode.ok;
    }
    if (cmd === mainCommand) {
      const first = own.find((a) => !a.startsWith("-"));
      throw new UsageProblem(first ? `unknown command '${first}'` : `unknown option '${argv[0]}'`, cmd, parent);
    }
    const problem = await unknownOption(cmd, rest);
    if (problem) throw new UsageProblem(problem, cmd, parent);
    // Run the leaf command directly: citty drops the return value of nested subcommands,
    // and that value is our exit code.
    const { result } = await runCommand(cmd, { rawArgs: rest });
    return typeof result === "number" ? result : ExitCode.ok;
  } catch (e) {
    if (e instanceof UsageProblem || isCittyError(e)) {
      const [cmd, parent] =
        e instanceof UsageProblem ? [e.cmd, e.parent] : await resolve(mainCommand, argv).then((r) => [r.cmd, r.parent] as const, () => [mainCommand, undefined] as const);
      await showUsage(cmd, parent).catch(() => undefined);
      process.stderr.write(`salvage: ${(e as Error).message}\n`);
      return ExitCode.fatal;
    }
    return reportError(e);
  }
}


async function unknownOption(cmd: CommandWithRawOptions, rest: string[]): Promise<string | null> {
  if (cmd.rawOptions?.ownParser) return null;
  const args = typeof cmd.args === "function" ? await cmd.args() : await cmd.args;
  const table = optionTable(args, cmd.rawOptions?.extraShort);
  // A group (`map`, `ffs`) given a word it does not know: citty says "Unknown command".
  if (cmd.subCommands) table.positionals = Infinity;
  return findUnknownOption(rest, table);
}

/**
 * `salvage --mode OCTAL COMMAND ...`: the mode of the files the command creates (default 0600,
 * see util/output-mode.ts). Returns the remaining arguments, or an error message.
 */
function takeModeOption(argv: string[]): string[] | string {
  const first = argv[0] ?? "";
  if (first !== "--mode" && !first.startsWith("--mode=")) return argv;
  const value = first === "--mode" ? argv[1] : first.slice("--mode=".length);
  const mode = value === undefined ? null : parseMode(value);
  if (mode === null) return `--mode: expected an octal mode such as 0640, got '${value ?? ""}'`;
  setOutputMode(mode);
  return argv.slice(first === "--mode" ? 2 : 1);
}

class UsageProblem extends Error {
  constructor(message: string, readonly cmd: CommandDef<any>, readonly parent?: CommandDef<any>) {
    super(message);
  }
}

function isCittyError(e: unknown): boolean {
  return e instanceof Error && e.name === "CLIError";
}

interface Resolved {
  cmd: CommandDef<any>;
  parent?: CommandDef<any>;
  /** Arguments left for `cmd` once the subcommand words are taken off. */
  rest: string[];
}

/** Follow positional words down the subcommand tree (citty does not export its resolver). */
async function resolve(cmd: CommandDef<any>, argv: string[], parent?: CommandDef<any>): Promise<Resolved> {
  const subs = typeof cmd.subCommands === "function" ? await cmd.subCommands() : await cmd.subCommands;
  const i = argv.findIndex((a) => !a.startsWith("-"));
  const beforeDashes = argv.indexOf("--") < 0 || i < argv.indexOf("--");
  const entry = subs && i >= 0 && beforeDashes ? (subs as Record<string, unknown>)[argv[i]!] : undefined;
  if (!entry) return { cmd, parent, rest: argv };
  const sub = (typeof entry === "function" ? await (entry as () => Promise<CommandDef<any>>)() : await entry) as CommandDef<any>;
  // Usage lines name the parent; give it the whole path ("salvage map") so nested help reads right.
  const path = parent ? `${await commandName(parent)} ${await commandName(cmd)}` : await commandName(cmd);
  return resolve(sub, [...argv.slice(0, i), ...argv.slice(i + 1)], { ...cmd, meta: { ...(await cmd.meta), name: path } } as CommandDef<any>);
}

async function commandName(cmd: CommandDef<any>): Promise<string> {
  const meta = typeof cmd.meta === "function" ? await cmd.meta() : await cmd.meta;
  return meta?.name ?? "";
}
