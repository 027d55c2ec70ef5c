// ddrescue's options as a ddrescue user types them: the same number and interval spellings
// accepted or refused, meaning the same bytes; -i/-o/-s, -p, -t, -A and -M giving the same
// map and image; the three log files in ddrescue's line formats. ddrescue's side is the
// recording (test/fixtures/oracles/ddrescue/options.json) always, the live tool when installed.
import { describe, expect, test } from "bun:test";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { peer, usesLivePeer } from "../helpers/needs.ts";
import { salvageCommand } from "./cli-helpers.ts";
import { ddrescueTool, intervalValues, logCases, numberValues, optionCase, optionsRecipe, optionValues, runCases, type OptionRun, type Tool } from "./ddrescue-option-cases.ts";

const recording = loadOracle<OptionRun>(optionsRecipe.name);
const want = (key: string) => recorded(recording, optionsRecipe.name, key);
const live = peer("ddrescue");
if (live) usesLivePeer("ddrescue");
const salvage: Tool = { cmd: [...salvageCommand(), "rescue"], accepted: (code) => code === 0 || code === 1 };

function compare(keys: string[]): void {
  for (const key of keys) {
    const ours = optionCase(salvage, key);
    const theirs = want(key);
    expect({ key, ...ours }).toEqual({ key, ...theirs });
    if (live) expect({ key, ...optionCase(ddrescueTool(live), key) }).toEqual({ key, ...theirs });
  }
}

describe("numbers and intervals as ddrescue reads them", () => {
  test("-i: decimal, 0x hex, 0 octal; k M G = 1000^n, Ki Mi Gi = 1024^n, s = sectors, B; the same refusals", () => {
    compare(numberValues.map((v) => `number ${v}`));
  }, 60_000);
  test("-T: 30, 1.5m, 1/2h, 1d; whole seconds only", () => {
    compare(intervalValues.map((v) => `interval ${v}`));
  }, 60_000);
  test("other options' values: -c (sectors) -b -e -E -K -r -X -a --cpass --delay-slow --max-slow-reads --pause-on-error -o", () => {
    compare(optionValues.map((v) => `option ${v}`));
  }, 60_000);
});

describe("runs that give ddrescue's map and image", () => {
  test("-i/-o/-s place the domain and its image; -p preallocates to the end of it; -t empties the image first", () => {
    compare(runCases.filter((c) => !/-A|-M/.test(c)).map((v) => `run ${v}`));
  }, 60_000);
  test("-A sends non-trimmed and non-scraped areas back to non-tried (bad sectors too with -M); -M makes failed areas non-trimmed; both only in the domain", () => {
    compare(runCases.filter((c) => /-A|-M/.test(c)).map((v) => `run ${v}`));
  }, 60_000);
});

/** "%14s  %6.2f%%  ": a duration right-aligned in 14 columns ("0s", "3m  1s"), then the percentage. */
const TIME = String.raw`^(?=.{14}  ) *\d+[dhms](?: [ \d]\d[dhms])?  `;
const PCT = String.raw`[ \d]{2}\d\.\d\d%  `;
/** ddrescue 1.27's line formats, each checked against its recorded logs below. */
const formats: Record<string, RegExp[]> = {
  rates: [/^# Rates Logfile\. Created by .+$/, /^#Time  Ipos  Current_rate  Average_rate  Bad_areas  Bad_size$/, /^[ \d]\d  0x[0-9A-F]{8}  [ \d]{7}\d  [ \d]{7}\d  [ \d]{6}\d  [ \d]{7}\d$/],
  reads: [/^# Reads Logfile\. Created by .+$/, /^#  Ipos       Size  Copied_size  Error_size$/, /^0x[0-9A-F]{8}\t\d+\t\d+\t\d+$/, /^# \d+s  (Copying|Trimming|Scraping|Retrying) .+$/, /^# \d+s$/, /^$/],
  events: [
    /^# Events Logfile\. Created by .+$/,
    /^#         Time  Rescued  Event$/,
    new RegExp(String.raw`${TIME}${PCT}(Copying|Trimming|Scraping|Retrying) .+$`),
    new RegExp(String.raw`${TIME}${PCT}End of run \(0x[0-9A-F]{8}  (copying|trimming|scraping|retrying|finished)\)$`),
    /^ {22}\S.*$/,
  ],
};
const common = [/^# Command line: .+$/, /^# Start time: {3}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, /^# End time: {5}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/];

function checkFormat(name: string, text: string): void {
  const lines = text.replace(/\n$/, "").split("\n");
  expect(lines[0]).toMatch(formats[name]![0]!);
  expect(lines.at(-1)).toMatch(common[2]!);
  for (const line of lines) {
    const ok = [...formats[name]!, ...common].some((re) => re.test(line));
    if (!ok) throw new Error(`${name}: line not in ddrescue's format: ${JSON.stringify(line)}`);
  }
}

describe("--log-rates, --log-reads, --log-events", () => {
  test("the recorded ddrescue logs fit the formats (the formats are ddrescue's)", () => {
    for (const key of logCases) for (const [name, text] of Object.entries(want(key).logs!)) checkFormat(name, text);
  });
  test("salvage writes the same formats, the same phase lines and the same end of run", () => {
    for (const key of logCases) {
      const ours = optionCase(salvage, key);
      const theirs = want(key);
      // -X0 stops the run: ddrescue exits 1, salvage 1 (done, data missing): both took the command line.
      if (key !== "logs -X0") expect(ours.accepted).toBe(theirs.accepted);
      for (const [name, text] of Object.entries(ours.logs!)) checkFormat(name, text);
      // Events: the first phase, the final percentage and how the run ended are ddrescue's.
      const tail = (t: string) => t.split("\n").filter((l) => new RegExp(TIME).test(l)).map((l) => l.replace(new RegExp(TIME), ""));
      const [o, d] = [tail(ours.logs!.events!), tail(theirs.logs!.events!)];
      expect(o[0]).toBe(d[0]!);
      // How the run ended; the share rescued too, except after -X0 (where the first error falls differs).
      const end = (line: string) => (key === "logs -X0" ? line.replace(/^.*%/, "") : line).replace(/\(0x[0-9A-F]+/, "(");
      expect(end(o.at(-1)!)).toBe(end(d.at(-1)!));
      // A stop's reason has its own line, as in ddrescue's.
      expect(ours.logs!.events!.split("\n").some((l) => /^ {22}\S/.test(l))).toBe(theirs.logs!.events!.split("\n").some((l) => /^ {22}\S/.test(l)));
    }
  }, 60_000);
});
