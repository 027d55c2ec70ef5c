// The text of the rescue status, laid out as GNU ddrescue 1.27 lays out its screen, so a
// ddrescue user finds every figure where the eye expects it: three columns of six lines at
// 76 columns and wider; on a narrower terminal the same fields, in the same order, flow
// into as many columns as fit (instead of being cut off at the edge). Pure: numbers in,
// lines out.
import { formatDuration } from "./rate.ts";
import type { Totals } from "./json-events.ts";

export interface StatusFigures extends Omit<Totals, "domain"> {
  ipos: number;
  opos: number;
  readErrors: number;
  currentRate: number;
  averageRate: number;
  errorRate: number;
  runTimeS: number;
  /** null until a read has succeeded in this run (ddrescue shows n/a). */
  sinceGoodS: number | null;
  /** The remaining time as a column shows it (short). */
  remainingShort: string;
}

const prefixes = ["k", "M", "G", "T", "P", "E"];

/**
 * A count as ddrescue prints it (SI, its default): whole numbers up to six digits, then
 * divided (truncating) by 1000 with a prefix. "131072 ", "4194 k".
 */
function ddNumber(n: number): string {
  let v = Math.max(0, Math.floor(n));
  let p = "";
  for (let i = 0; i < prefixes.length && v > 999_999; i++) {
    v = Math.floor(v / 1000);
    p = prefixes[i]!;
  }
  return `${v} ${p}`;
}

export const ddBytes = (n: number) => `${ddNumber(n)}B`;
/** Two decimals, cut rather than rounded as ddrescue does: 99.999% is not shown as 100.00%. */
const ddPercent = (p: number) => (Math.floor(p * 100 + 1e-9) / 100).toFixed(2);
const ddTime = (s: number | null) => (s === null ? "n/a" : formatDuration(s));

/** A field: label, and its value split where ddrescue right-aligns it (number | unit). */
interface Field {
  label: string;
  /** Short label for the narrow layout. */
  short?: string;
  num: string;
  unit: string;
}

/** The fields in ddrescue's reading order (down the first column, then the next). */
export function statusFields(s: StatusFigures): Field[] {
  const bytes = (label: string, n: number): Field => ({ label, num: ddNumber(n), unit: "B" });
  const rate = (label: string, n: number): Field => ({ label, num: ddNumber(n), unit: "B/s" });
  const count = (label: string, n: number): Field => ({ label, num: String(n), unit: "" });
  const text = (label: string, v: string, short?: string): Field => ({ label, short, num: v, unit: "" });
  return [
    bytes("ipos", s.ipos),
    bytes("opos", s.opos),
    bytes("non-tried", s.nonTried),
    bytes("rescued", s.rescued),
    { label: "pct rescued", num: ddPercent(s.pct), unit: "%" },
    bytes("non-trimmed", s.nonTrimmed),
    bytes("non-scraped", s.nonScraped),
    bytes("bad-sector", s.badSector),
    count("bad areas", s.badAreas),
    count("read errors", s.readErrors),
    rate("current rate", s.currentRate),
    rate("average rate", s.averageRate),
    rate("error rate", s.errorRate),
    text("run time", ddTime(s.runTimeS)),
    text("remaining time", s.remainingShort),
    text("time since last successful read", ddTime(s.sinceGoodS), "since good read"),
  ];
}

/** ddrescue's own screen is 74 columns wide; it is used from here on. */
export const WIDE = 76;

/**
 * The status block (without the phase line) for a terminal `width` columns wide. No line is
 * longer than width - 1, so nothing wraps and the cursor-up redraw stays in place.
 */
export function statusLines(s: StatusFigures, width: number): string[] {
  const f = statusFields(s);
  if (width >= WIDE) return wideLines(f);
  return flowLines(f, width - 1);
}

// ddrescue's columns: each label's colon sits at a fixed column (9, 34, 61; a longer label
// such as "pct rescued" reaches further left), the value follows right-aligned in a field
// whose width depends on the kind of value, and a comma ends each column but the last.
const colonAt = [9, 34, 61];

function wideValue(field: Field, col: number): string {
  if (field.unit === "%") return ` ${field.num.padStart(7)}%`;
  if (field.unit === "B") return ` ${field.num.padStart(9)}B`;
  if (field.unit === "B/s") return ` ${field.num.padStart(8)}B/s`;
  return col === 2 ? ` ${field.num.padStart(11)}` : ` ${field.num.padStart(8)}`;
}

function wideLine(cells: Array<[Field, number]>): string {
  let line = "";
  for (const [field, col] of cells) {
    if (line) line += ",";
    line = line.padEnd(colonAt[col]! - field.label.length) + `${field.label}:` + wideValue(field, col);
  }
  return line;
}

function wideLines(f: Field[]): string[] {
  const lines: string[] = [];
  for (let row = 0; row < 5; row++) lines.push(wideLine([0, 1, 2].map((col) => [f[col * 5 + row]!, col])));
  // The last field has a line of its own, its colon under the third column's.
  lines.push(wideLine([[f[15]!, 2]]));
  return lines;
}

/** Narrow terminals: "label: value" cells of one width, as many per line as fit, column by column. */
function flowLines(f: Field[], width: number): string[] {
  const cells = f.map((x) => ({ label: `${x.short ?? x.label}:`, value: `${x.num}${x.unit}`.trim() }));
  const labelW = Math.max(...cells.map((c) => c.label.length));
  const valueW = Math.max(11, ...cells.map((c) => c.value.length));
  const cellW = labelW + 1 + valueW;
  // Too narrow even for one aligned column: "label: value", cut at the edge.
  if (cellW > width) return cells.map((c) => fit(`${c.label} ${c.value}`, width));
  const gap = 2;
  const perLine = Math.max(1, Math.floor((width + gap) / (cellW + gap)));
  const rows = Math.ceil(cells.length / perLine);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const parts: string[] = [];
    for (let c = 0; c < perLine; c++) {
      const cell = cells[c * rows + r];
      if (cell) parts.push(`${cell.label.padStart(labelW)} ${cell.value.padStart(valueW)}`);
    }
    lines.push(fit(parts.join(" ".repeat(gap)).trimEnd(), width));
  }
  return lines;
}

/** At most `width` characters: a cut line ends in "…" so it is visibly cut. */
export function fit(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

/** One line for logs (stderr not a terminal): every figure, with ddrescue's names. */
export function plainLine(s: StatusFigures): string {
  return statusFields(s)
    .map((x) => `${x.label}: ${`${x.num}${x.unit}`.trim()}`)
    .join(", ");
}
