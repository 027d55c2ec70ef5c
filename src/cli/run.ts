// Dispatch: the program name picks the applet (busybox style), then the first argument
// picks a subcommand. safecopy's option syntax cannot be parsed by citty, so `copy` and
// the `safecopy` name go to their own parser.
import { defineCommand, renderUsage, runCommand, type CommandDef } from "citty";
import pkg from "../../package.json" with { type: "json" };
import { subCommands } from "./commands/index.ts";
import { ExitCode, reportError } from "./exit.ts";
import { editDistance, findUnknownOption, optionTable, type CommandWithRawOptions } from "./option-check.ts";
import { parseMode, setOutputMode } from "../util/output-mode.ts";

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
  // The safecopy and ddrescuelog front ends are loaded only when used: start-up is paid by every command.
  const safecopyMain = async (args: string[], name: string) => (await import("./safecopy-mode.ts")).safecopyMain(args, name);
  if (programName === "safecopy") return safecopyMain(argv, "safecopy");
  const mode = takeModeOption(argv);
  if (typeof mode === "string") {
    process.stderr.write(`salvage: ${mode}\n`);
    return ExitCode.fatal;
  }
  argv = mode;
  if (argv[0] === "copy") return safecopyMain(argv.slice(1), "salvage copy");
  if (argv[0] === "map") {
    const { ddrescuelogMain, isDdrescuelogSyntax } = await import("./map-log/ddrescuelog-main.ts");
    if (isDdrescuelogSyntax(argv.slice(1))) return ddrescuelogMain(argv.slice(1));
  }
  try {
    if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
      process.stdout.write(`salvage ${version}\n`);
      return ExitCode.ok;
    }
    const { cmd, parent, rest } = await resolve(mainCommand, argv);
    // Options after `--` belong to a wrapped command (`simulate -- ddrescue --help`), not to us.
    const own = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
    const raw = (cmd as CommandWithRawOptions).rawOptions;
    const group = !!(await cmd.subCommands) && !cmd.run;
    const firstWord = rest.find((a) => !a.startsWith("-"));
    if (own.includes("--help") || own.includes("-h") || (group && firstWord === undefined && !rest.some((a) => a.startsWith("-")))) {
      process.stdout.write(raw?.help?.(rest) ?? (await usageText(cmd, parent)) + (raw?.epilog ?? ""));
      // A bare `salvage` or `salvage map` asked for nothing: usage, and the usage-error code.
      return own.includes("--help") || own.includes("-h") ? ExitCode.ok : ExitCode.fatal;
    }
    if (group) {
      const word = firstWord ?? rest[0]!;
      const what = firstWord ? `unknown command '${word}'` : `unknown option '${word}'`;
      throw new UsageProblem(what + (firstWord ? await suggestion(cmd, word) : ""), cmd, parent);
    }
    const problem = await unknownOption(cmd, rest);
    if (problem) throw new UsageProblem(problem, cmd, parent);
    // Run the leaf command directly: citty drops the return value of nested subcommands,
    // and that value is our exit code.
    const { result } = await runCommand(cmd, { rawArgs: rest });
    return typeof result === "number" ? result : ExitCode.ok;
  } catch (e) {
    if (e instanceof UsageProblem || isCittyError(e)) {
      // One line: what is wrong, and where the whole usage is (never the usage itself, which
      // pushed the error out of sight).
      const [cmd, parent] =
        e instanceof UsageProblem ? [e.cmd, e.parent] : await resolve(mainCommand, argv).then((r) => [r.cmd, r.parent] as const, () => [mainCommand, undefined] as const);
      const path = await commandPath(cmd, parent);
      process.stderr.write(`salvage: ${cittyMessage((e as Error).message)} (see '${path} --help')\n`);
      return ExitCode.fatal;
    }
    return reportError(e);
  }
}

/** citty's wording, in ours. */
function cittyMessage(message: string): string {
  const missing = /^Missing required (?:positional )?argument:? (.*)$/i.exec(message);
  return missing ? `missing argument ${missing[1]}` : message;
}

/** "; did you mean 'map'?" when a subcommand of cmd is a plausible misspelling of word. */
async function suggestion(cmd: CommandDef<any>, word: string): Promise<string> {
  const subs = Object.keys((await cmd.subCommands) ?? {});
  let best = "";
  let bestDistance = Infinity;
  for (const name of subs) {
    const d = name.startsWith(word) && word.length >= 2 ? 1 : editDistance(word, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? `; did you mean '${best}'?` : "";
}

/**
 * The usage citty renders, without the padding that made every line as long as the longest
 * (and wrap into blank lines); on a terminal, long lines wrap under their description column.
 */
async function usageText(cmd: CommandDef<any>, parent?: CommandDef<any>): Promise<string> {
  const text = (await renderUsage(cmd, parent)).split("\n").map((l) => l.trimEnd()).join("\n").replace(/\n*$/, "\n");
  return process.stdout.isTTY ? wrapHelp(text, process.stdout.columns || 80) : text;
}

/** Wrap each line longer than `width` at blanks, continuing under the column its text starts in ("  name    text"). */
export function wrapHelp(text: string, width: number): string {
  // Colour codes (citty colours names on a terminal) take no columns.
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");
  return text
    .split("\n")
    .map((line) => {
      if (visible(line).length <= width) return line;
      const indent = /^(\s*\S+(?: \S+)*\s{2,}|\s*)/.exec(visible(line))![0].length;
      const hang = indent < width / 2 ? indent : 4;
      const out: string[] = [];
      let rest = line;
      while (visible(rest).length > width) {
        const cut = rest.lastIndexOf(" ", width + rest.length - visible(rest).length);
        if (cut <= hang) break;
        out.push(rest.slice(0, cut).trimEnd());
        rest = " ".repeat(hang) + rest.slice(cut + 1);
      }
      out.push(rest);
      return out.join("\n");
    })
    .join("\n");
}

async function commandPath(cmd: CommandDef<any>, parent?: CommandDef<any>): Promise<string> {
  const name = await commandName(cmd);
  if (cmd === mainCommand || !parent) return name === "salvage" ? name : `salvage ${name}`;
  return `${await commandName(parent)} ${name}`;
}

async function unknownOption(cmd: CommandWithRawOptions, rest: string[]): Promise<string | null> {
  if (cmd.rawOptions?.ownParser) return null;
  const args = typeof cmd.args === "function" ? await cmd.args() : await cmd.args;
  const table = optionTable(args, cmd.rawOptions?.extraShort);
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
