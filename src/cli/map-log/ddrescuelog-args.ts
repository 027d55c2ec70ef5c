// `salvage map` with GNU ddrescuelog 1.27's own option letters, so a ddrescuelog user's
// commands and scripts work unchanged: `salvage map -D x.map`, `salvage map -l- -b4096
// x.map`, `salvage map -x other.map x.map > result.map`. Short options take a value
// attached or in the next word, long ones after '=' or in the next word (getopt's rules).
// Options whose job another salvage command does (-c, -t, -C...) point to it.
import { UserError } from "../exit.ts";
import { escapeText } from "../../util/escape.ts";
import { DDRESCUE_NUMBER_FORMS, NumberSyntaxError, parseDdrescueNumber } from "../../util/units.ts";
import { MAX_BLOCK_SIZE, type MapJob, type MapOp } from "./job.ts";

type Spec = { long: string; value: boolean };

const OPTIONS: Record<string, Spec> = {
  a: { long: "change-types", value: true },
  b: { long: "block-size", value: true },
  B: { long: "binary-prefixes", value: false },
  d: { long: "delete-if-done", value: false },
  D: { long: "done-status", value: false },
  i: { long: "input-position", value: true },
  l: { long: "list-blocks", value: true },
  L: { long: "loose-domain", value: false },
  m: { long: "domain-mapfile", value: true },
  n: { long: "invert-mapfile", value: false },
  o: { long: "output-position", value: true },
  p: { long: "compare-mapfile", value: true },
  P: { long: "compare-as-domain", value: true },
  q: { long: "quiet", value: false },
  s: { long: "size", value: true },
  t: { long: "show-status", value: false },
  x: { long: "xor-mapfile", value: true },
  y: { long: "and-mapfile", value: true },
  z: { long: "or-mapfile", value: true },
};
const ALIASES: Record<string, string> = { "sector-size": "b" };

/** ddrescuelog options salvage does elsewhere: where to go instead. */
const ELSEWHERE: Record<string, string> = {
  c: "'salvage map convert LIST MAP' makes a mapfile from a bad-block list",
  C: "a map with gaps is read as is by 'salvage map' with -L",
  A: "'salvage map show MAP' shows positions and sizes",
  F: "bitmap formats are not supported: lists are one block number per line",
  f: "salvage map writes resulting maps to standard output only",
  v: "there is nothing more to say",
  shift: "shifting a map is not supported",
};
const LONG_ELSEWHERE: Record<string, string> = {
  "create-mapfile": "c",
  "complete-mapfile": "C",
  "annotate-mapfile": "A",
  format: "F",
  force: "f",
  verbose: "v",
  shift: "shift",
};

const OPERATIONS: Record<string, MapOp> = { t: "show-status", D: "done", d: "delete-if-done", p: "compare", P: "compare-finished", l: "list", a: "change-types", n: "invert", x: "xor", y: "and", z: "or" };

/** The job the words describe, or a one-line UserError. */
export function parseDdrescuelogArgs(args: readonly string[]): MapJob {
  const values = new Map<string, string>();
  const files: string[] = [];
  let op: [letter: string, op: MapOp] | null = null;
  const take = (letter: string, value: string | undefined, shown: string) => {
    const spec = OPTIONS[letter]!;
    if (spec.value && value === undefined) throw new UserError(`option '${shown}' needs a value`);
    const isOp = OPERATIONS[letter];
    if (isOp) {
      if (op && op[0] !== letter) throw new UserError(`only one operation can be given ('-${op[0]}' and '-${letter}')`);
      op = [letter, isOp];
    }
    values.set(letter, value ?? "");
  };
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === "--") {
      files.push(...args.slice(i + 1));
      break;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = word.slice(2, eq < 0 ? undefined : eq);
      if (LONG_ELSEWHERE[name]) throw new UserError(`option '--${name}': ${ELSEWHERE[LONG_ELSEWHERE[name]!]}`);
      const letter = ALIASES[name] ?? Object.keys(OPTIONS).find((k) => OPTIONS[k]!.long === name);
      if (!letter) throw new UserError(`unknown option '--${escapeText(name, 40)}' (see 'salvage map --help' and docs/map-tools.md)`);
      const value = eq >= 0 ? word.slice(eq + 1) : OPTIONS[letter]!.value ? args[++i] : undefined;
      take(letter, value, `--${name}`);
      continue;
    }
    if (word.startsWith("-") && word !== "-") {
      for (let k = 1; k < word.length; k++) {
        const letter = word[k]!;
        if (ELSEWHERE[letter]) throw new UserError(`option '-${letter}': ${ELSEWHERE[letter]}`);
        const spec = OPTIONS[letter];
        if (!spec) throw new UserError(`unknown option '-${escapeText(letter)}' (see 'salvage map --help' and docs/map-tools.md)`);
        if (spec.value) {
          take(letter, k + 1 < word.length ? word.slice(k + 1) : args[++i], `-${letter}`);
          break;
        }
        take(letter, undefined, `-${letter}`);
      }
      continue;
    }
    files.push(word);
  }
  if (!op) throw new UserError("no operation given: one of -t -D -d -p -P -l -a -n -x -y -z (see docs/map-tools.md)");
  if (files.length === 0) throw new UserError("a mapfile must be given");
  if (files.length > 1 && op![0] !== "t") throw new UserError(`too many files: '${escapeText(files[1]!, 80)}' (only one mapfile, except with -t; the second map goes after its option)`);
  const [letter, operation] = op as [string, MapOp];
  const blockSize = values.has("b") ? ddrescueNumber(values.get("b")!, "-b", 512) : 512;
  if (blockSize < 1 || blockSize > MAX_BLOCK_SIZE) throw new UserError(`-b: '${escapeText(values.get("b")!, 40)}' is out of range: accepted 1 to ${MAX_BLOCK_SIZE}`);
  const num = (l: string) => (values.has(l) ? ddrescueNumber(values.get(l)!, `-${l}`, blockSize) : undefined);
  const job: MapJob = {
    op: operation,
    mapfile: files[0]!,
    blockSize,
    ipos: num("i"),
    opos: num("o"),
    size: values.get("s") === "-1" ? undefined : num("s"),
    domainMap: values.get("m"),
    loose: values.has("L"),
    quiet: values.has("q"),
    binary: values.has("B"),
    more: files.slice(1),
    commandLine: ["salvage", "map", ...args].join(" "),
  };
  if ("pPxyz".includes(letter)) job.other = values.get(letter)!;
  if (letter === "l") job.types = statusTypes(values.get("l")!, "-l");
  if (letter === "a") job.change = changeArgument(values.get("a")!);
  return job;
}

/** -l's TYPES: characters from "?*\/-+". */
export function statusTypes(text: string, option: string): string {
  if (text === "" || ![...text].every((c) => "?*/-+".includes(c))) throw new UserError(`${option}: '${escapeText(text, 40)}': expected block types from '?*/-+'`);
  return text;
}

/** -a's OLD,NEW. */
export function changeArgument(text: string): [string, string] {
  const parts = text.split(",");
  if (parts.length !== 2) throw new UserError(`-a: '${escapeText(text, 40)}': expected OLD_TYPES,NEW_TYPES (e.g. '-a ?*/,-')`);
  return [statusTypes(parts[0]!, "-a"), statusTypes(parts[1]!, "-a")];
}

/** ddrescue's numbers (src/util/units.ts: the one parser for them), for ddrescuelog's options. */
export function ddrescueNumber(text: string, option: string, sector: number): number {
  let value: number;
  try {
    value = parseDdrescueNumber(text, sector);
  } catch (e) {
    if (e instanceof NumberSyntaxError) throw new UserError(`${option}: '${escapeText(text, 40)}': not a number: ${DDRESCUE_NUMBER_FORMS}`);
    throw new UserError(`${option}: '${escapeText(text, 40)}' is too large`);
  }
  if (value < 0) throw new UserError(`${option}: '${escapeText(text, 40)}': must not be negative`);
  return value;
}
