// citty accepts any option and ignores those it does not know, so `rescue --retires=3`
// ran with no retries and exit 0. Before a command runs, its raw words are checked here
// against the options it declares (long names, aliases, --no-x for flags, --x=value,
// bundled short flags), with citty's value rules: a string option takes the next word.
// An unknown option, or a positional word more than the command takes, is a usage error.
import type { ArgsDef, CommandDef } from "citty";

/** How a command takes its options beyond what it declares to citty. */
export interface RawOptions {
  /** The command parses its own words (and rejects unknown ones itself): `simulate`. */
  ownParser?: boolean;
  /** Short flags the command reads from its raw words: rescue's ddrescue-style -n and -N. */
  extraShort?: string[];
  /** Help text for these words (a tool of a command with its own parser: `simulate make --help`), or null for citty's usage. */
  help?: (rest: string[]) => string | null;
  /** Text printed after citty's usage. */
  epilog?: string;
}

export type CommandWithRawOptions = CommandDef<any> & { rawOptions?: RawOptions };

type Kind = "boolean" | "string";

export interface OptionTable {
  long: Map<string, Kind>;
  short: Map<string, Kind>;
  /** Positional words the command takes; Infinity when the last one is a list. */
  positionals: number;
}

/** A declared arg may carry `variadic: true`: its positional takes every remaining word. */
type ArgLike = { type?: string; alias?: string | string[]; variadic?: boolean };

/** `extraShort`: flags a command reads from its raw words itself (rescue's -n and -N). */
export function optionTable(args: ArgsDef | undefined, extraShort: readonly string[] = []): OptionTable {
  const long = new Map<string, Kind>([["help", "boolean"]]);
  const short = new Map<string, Kind>([["h", "boolean"]]);
  let positionals = 0;
  for (const [name, raw] of Object.entries(args ?? {})) {
    const def = raw as ArgLike;
    if (def.type === "positional") {
      positionals = def.variadic ? Infinity : positionals + 1;
      continue;
    }
    const kind: Kind = def.type === "boolean" ? "boolean" : "string";
    long.set(name, kind);
    if (kind === "boolean") long.set(`no-${name}`, "boolean");
    for (const a of [def.alias ?? []].flat()) (a.length === 1 ? short : long).set(a, kind);
  }
  for (const s of extraShort) short.set(s, "boolean");
  return { long, short, positionals };
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

function closest(word: string, table: OptionTable): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const name = word.replace(/^-+/, "");
  for (const candidate of table.long.keys()) {
    if (candidate === "help" || candidate.startsWith("no-")) continue;
    const d = editDistance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [`--${candidate}`, d];
  }
  // A suggestion only when it is plausibly the same word.
  return best && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

/** One line for the first unknown option or surplus word in `rawArgs`, or null when all is known. */
export function findUnknownOption(rawArgs: readonly string[], table: OptionTable): string | null {
  let positionals = 0;
  for (let i = 0; i < rawArgs.length; i++) {
    const word = rawArgs[i]!;
    if (word === "--") {
      positionals += rawArgs.length - i - 1;
      break;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = word.slice(2, eq < 0 ? undefined : eq);
      const kind = table.long.get(name);
      if (!kind) {
        const hint = closest(name, table);
        return `unknown option '${word.slice(0, eq < 0 ? undefined : eq)}'${hint ? `; did you mean '${hint}'?` : ""}`;
      }
      if (kind === "string" && eq < 0) i++;
      continue;
    }
    if (word.startsWith("-") && word.length > 1) {
      // A bundle of short flags: -Rd, or -c64KiB (a string flag takes the rest, or the next word).
      for (let k = 1; k < word.length; k++) {
        const kind = table.short.get(word[k]!);
        if (!kind) return `unknown option '-${word[k]}'${word.length > 2 ? ` (in '${word}')` : ""}`;
        if (kind === "string") {
          if (k === word.length - 1) i++;
          break;
        }
      }
      continue;
    }
    positionals++;
  }
  if (positionals > table.positionals) return `too many arguments: expected at most ${table.positionals}, got ${positionals}`;
  return null;
}

/** Whether a short flag was given, alone or in a bundle (-n, -Rn), before `--`. */
export function shortFlagGiven(rawArgs: readonly string[], table: OptionTable, flag: string): boolean {
  for (let i = 0; i < rawArgs.length; i++) {
    const word = rawArgs[i]!;
    if (word === "--") return false;
    if (word.startsWith("--")) {
      if (table.long.get(word.slice(2)) === "string") i++;
      continue;
    }
    if (!word.startsWith("-") || word.length < 2) continue;
    for (let k = 1; k < word.length; k++) {
      if (word[k] === flag) return true;
      if (table.short.get(word[k]!) === "string") {
        if (k === word.length - 1) i++;
        break;
      }
    }
  }
  return false;
}
