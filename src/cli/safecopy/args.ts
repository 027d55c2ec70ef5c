// safecopy 1.7's home-made argument parser, reproduced quirk for quirk (reference §1):
// options are split at ' ', '=' and ':'; a one-argument option takes the next token only
// if it does not start with '-' or "looks like an integer"; unknown options are positional;
// the last occurrence of an option wins. citty cannot express this, hence this file.

/** Options and whether they take a value. Matching is exact: no abbreviations, no bundling. */
export const optionArity: Readonly<Record<string, 0 | 1>> = {
  "--stage": 1, "--stage1": 0, "--stage2": 0, "--stage3": 0, "--debug": 1, "--help": 0, "-h": 0,
  "--sync": 0, "--forceopen": 0,
  "-b": 1, "-f": 1, "-r": 1, "-R": 1, "-s": 1, "-L": 1, "-l": 1, "-o": 1, "-I": 1, "-i": 1,
  "-c": 1, "-X": 1, "-x": 1, "-S": 1, "-Z": 1, "-M": 1, "-T": 1,
};

export interface ParsedArgs {
  /** Given options; the value is null when the option came without one. */
  options: Map<string, string | null>;
  positionals: string[];
}

/** Split dash-arguments at ' ', '=' and ':' (empty pieces dropped); others stay whole. */
export function tokenize(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of argv) {
    if (a.startsWith("-")) out.push(...a.split(/[ =:]/).filter((p) => p.length > 0));
    else out.push(a);
  }
  return out;
}

/** safecopy's "is an integer" test: only digits, spaces and '-' (so "-", "--" and "" pass). */
export function looksLikeInteger(s: string): boolean {
  return /^[-0-9 ]*$/.test(s);
}

/**
 * safecopy's integer conversion into a 32-bit C int: digits accumulate, '-' is a sign only
 * while the value is still 0, spaces are skipped, anything else makes the value 0.
 */
export function safecopyInteger(s: string | null | undefined): number {
  if (s === null || s === undefined) return 0;
  let v = 0;
  let negative = false;
  for (const ch of s) {
    if (ch >= "0" && ch <= "9") v = (Math.imul(v, 10) + (ch.charCodeAt(0) - 48)) | 0;
    else if (ch === "-" && v === 0) negative = true;
    else if (ch === " ") continue;
    else return 0;
  }
  return negative ? -v | 0 : v;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const tokens = tokenize(argv);
  const options = new Map<string, string | null>();
  const positionals: string[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const arity = Object.hasOwn(optionArity, t) ? optionArity[t] : undefined;
    if (arity === undefined) {
      positionals.push(t);
      continue;
    }
    let value: string | null = null;
    const next = tokens[k + 1];
    if (arity === 1 && next !== undefined && (!next.startsWith("-") || looksLikeInteger(next))) {
      value = next;
      k++;
    }
    options.delete(t); // re-insert so iteration order follows the last occurrence
    options.set(t, value);
  }
  return { options, positionals };
}
