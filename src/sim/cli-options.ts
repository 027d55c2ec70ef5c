// A small option parser for `simulate` and its tools: `--name value`, `--name=value`,
// boolean flags, repeatable lists (values joined with commas), and `--` ending the options. Unknown options are errors (a typo must not
// silently become part of a command line).
import { UserError } from "../cli/exit.ts";

export type OptionSpec = Record<string, "string" | "boolean" | "list">;

export interface Parsed {
  options: Record<string, string | undefined>;
  flags: Set<string>;
  rest: string[];
}

export function parseOptions(argv: string[], spec: OptionSpec, o: { stopAtPositional?: boolean; aliases?: Record<string, string> } = {}): Parsed {
  const options: Record<string, string | undefined> = {};
  const flags = new Set<string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      if (o.stopAtPositional) {
        rest.push(...argv.slice(i));
        break;
      }
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const rawName = arg.replace(/^--?/, "").slice(0, eq < 0 ? undefined : eq - (arg.startsWith("--") ? 2 : 1));
    const name = o.aliases?.[rawName] ?? rawName;
    const kind = spec[name];
    if (!kind) throw new UserError(`unknown option '${arg}'`);
    if (kind === "boolean") {
      flags.add(name);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UserError(`option '${arg}' needs a value`);
    options[name] = kind === "list" && options[name] !== undefined ? `${options[name]},${value}` : value;
  }
  return { options, flags, rest };
}
