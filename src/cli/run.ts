// Dispatch: the program name picks the applet (busybox style), then the first argument
// picks a subcommand. safecopy's option syntax cannot be parsed by citty, so `copy` and
// the `safecopy` name go to their own parser.
import { defineCommand, runCommand, showUsage, type CommandDef } from "citty";
import pkg from "../../package.json" with { type: "json" };
import { subCommands } from "./commands/index.ts";
import { ExitCode, reportError } from "./exit.ts";
import { safecopyMain } from "./safecopy-mode.ts";

export const version = pkg.version;

export const mainCommand = defineCommand({
  meta: { name: "salvage", version, description: "Get data back: rescue failing media, simulate bad media, undelete from BSD filesystems" },
  subCommands: {
    ...subCommands,
    copy: { meta: { name: "copy", description: "Rescue SRC to DST with safecopy 1.7's options and behaviour (see `salvage copy --help`)" } },
  },
});

export async function run(programName: string, argv: string[]): Promise<number> {
  if (programName === "safecopy") return safecopyMain(argv, "safecopy");
  if (argv[0] === "copy") return safecopyMain(argv.slice(1), "salvage copy");
  try {
    if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
      process.stdout.write(`salvage ${version}\n`);
      return ExitCode.ok;
    }
    const [cmd, parent] = await resolve(mainCommand, argv);
    if (argv.includes("--help") || argv.includes("-h") || (cmd === mainCommand && argv.length === 0)) {
      await showUsage(cmd, parent);
      return argv.length === 0 ? ExitCode.fatal : ExitCode.ok;
    }
    if (cmd === mainCommand) {
      const first = argv.find((a) => !a.startsWith("-"));
      throw new UsageProblem(first ? `unknown command '${first}'` : `unknown option '${argv[0]}'`, cmd, parent);
    }
    const { result } = await runCommand(mainCommand, { rawArgs: argv });
    return typeof result === "number" ? result : ExitCode.ok;
  } catch (e) {
    if (e instanceof UsageProblem || isCittyError(e)) {
      const [cmd, parent] = e instanceof UsageProblem ? [e.cmd, e.parent] : await resolve(mainCommand, argv).catch(() => [mainCommand, undefined] as const);
      await showUsage(cmd, parent).catch(() => undefined);
      process.stderr.write(`salvage: ${(e as Error).message}\n`);
      return ExitCode.fatal;
    }
    return reportError(e);
  }
}

class UsageProblem extends Error {
  constructor(message: string, readonly cmd: CommandDef<any>, readonly parent?: CommandDef<any>) {
    super(message);
  }
}

function isCittyError(e: unknown): boolean {
  return e instanceof Error && e.name === "CLIError";
}

/** Follow positional words down the subcommand tree (citty does not export its resolver). */
async function resolve(cmd: CommandDef<any>, argv: string[], parent?: CommandDef<any>): Promise<[CommandDef<any>, CommandDef<any> | undefined]> {
  const subs = typeof cmd.subCommands === "function" ? await cmd.subCommands() : await cmd.subCommands;
  const i = argv.findIndex((a) => !a.startsWith("-"));
  if (!subs || i < 0) return [cmd, parent];
  const entry = (subs as Record<string, unknown>)[argv[i]!];
  if (!entry) return [cmd, parent];
  const sub = (typeof entry === "function" ? await (entry as () => Promise<CommandDef<any>>)() : await entry) as CommandDef<any>;
  return resolve(sub, argv.slice(i + 1), cmd);
}
