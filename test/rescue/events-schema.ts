// docs/events.md is the schema of `salvage rescue --json`: its tables are read here and every
// event a test run writes is checked against them, so the documentation cannot drift from
// what the program writes (a field added to the code but not to the doc fails, and so does
// a documented field the code stopped writing).
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const eventsDoc = join(import.meta.dir, "../../docs/events.md");

export interface FieldRule {
  name: string;
  optional: boolean;
  /** Alternatives: a JSON type name, or a quoted literal. */
  types: string[];
}

/** Per event name, its fields (dotted for nested objects). */
export type Schema = Map<string, FieldRule[]>;

function tableRows(section: string): string[][] {
  return section
    .split("\n")
    .filter((l) => l.startsWith("| `"))
    .map((l) => l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()));
}

function rule(cells: string[]): FieldRule {
  const name = cells[0]!.replace(/`/g, "");
  const optional = name.endsWith("?");
  const types = cells[1]!.split(/\s*\\\|\s*/).map((t) => t.trim());
  return { name: optional ? name.slice(0, -1) : name, optional, types };
}

export function loadSchema(text = readFileSync(eventsDoc, "utf8")): Schema {
  const totalsPart = text.slice(text.indexOf("## Totals"), text.indexOf("## Events"));
  const totals = tableRows(totalsPart).map(rule);
  const schema: Schema = new Map();
  for (const part of text.split(/^### /m).slice(1)) {
    const event = part.slice(0, part.indexOf("\n")).trim();
    const fields: FieldRule[] = [];
    for (const cells of tableRows(part)) {
      const r = rule(cells);
      // "`x.domain` ... `x.badAreas` | totals": every Totals field, under the prefix x.
      if (r.types[0] === "totals") {
        const prefix = /^(\w+\.)\w/.exec(r.name)?.[1] ?? "";
        fields.push(...totals.map((t) => ({ ...t, name: prefix + t.name })));
      } else fields.push(r);
    }
    schema.set(event, fields);
  }
  return schema;
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Number.isInteger(v)) return "integer";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function matches(v: unknown, t: string): boolean {
  if (t.startsWith('"')) return v === JSON.parse(t);
  const actual = typeOf(v);
  return actual === t || (t === "number" && actual === "integer");
}

/** The fields of o, flattened with dots; objects with a documented `object` type are leaves' parents. */
function flatten(o: Record<string, unknown>, documented: Set<string>, prefix = ""): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(o)) {
    const name = prefix + k;
    out.push([name, v]);
    // An object documented field by field is checked inside; an opaque `object` is not.
    if (v && typeof v === "object" && !Array.isArray(v) && [...documented].some((d) => d.startsWith(`${name}.`))) out.push(...flatten(v as Record<string, unknown>, documented, `${name}.`));
  }
  return out;
}

/** What is wrong with one event, as readable lines (empty when it is valid). */
export function validateEvent(schema: Schema, e: Record<string, unknown>): string[] {
  const rules = schema.get(String(e.event));
  if (!rules) return [`event '${e.event}' is not documented`];
  const byName = new Map(rules.map((r) => [r.name, r]));
  const problems: string[] = [];
  const present = new Map(flatten(e, new Set(byName.keys())));
  for (const r of rules) {
    if (!present.has(r.name)) {
      if (!r.optional) problems.push(`${e.event}: '${r.name}' missing`);
    } else if (!r.types.some((t) => matches(present.get(r.name), t))) {
      problems.push(`${e.event}: '${r.name}' is ${JSON.stringify(present.get(r.name))}, documented as ${r.types.join(" | ")}`);
    }
  }
  for (const name of present.keys()) if (!byName.has(name)) problems.push(`${e.event}: '${name}' is not documented`);
  return problems;
}
