// The summary ddrescuelog 1.27 prints with -t (--show-status), to the character, so that
// scripts reading it (`ddrescuelog -t disk.map | grep rescued`) work on `salvage map -t`.
// Layout read off ddrescuelog's output: labels right-aligned to 14 columns, numbers with an
// SI (or, with -B, binary) prefix once above 999999, percentages of the domain with up to two
// decimals (fewer when exact), areas counted within the domain.
import type { Range } from "../rescue/mapfile/domain.ts";
import type { ExtentView } from "../rescue/mapfile/extent-view.ts";
import type { StatusLine } from "../rescue/mapfile/status.ts";

const PHASE: Record<string, string> = { "?": "copying", "*": "trimming", "/": "scraping", "-": "retrying", F: "filling", G: "generating", "+": "finished" };

/** ddrescue's format_num: divide by 1000 (1024) while above 999999, then "N prefixB", right-aligned to 10. */
export function formatNum(n: number, binary = false): string {
  const factor = binary ? 1024 : 1000;
  const prefixes = binary ? ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"] : ["k", "M", "G", "T", "P", "E"];
  let prefix = "";
  for (let i = 0; n > 999999 && i < prefixes.length; i++) {
    n = Math.floor(n / factor);
    prefix = prefixes[i]!;
  }
  return `${n} ${prefix}B`.padStart(10);
}

/**
 * num/den as a percentage, integer part 3 wide: as few decimals as show it exactly (25%,
 * 62.5%), else two, rounded half to even as printf does (8.50%).
 */
export function formatPercent(num: number, den: number): string {
  if (den <= 0) return "  0%";
  const n = 10000n * BigInt(num);
  const d = BigInt(den);
  let q = n / d;
  const twice = 2n * (n % d);
  if (twice > d || (twice === d && q % 2n === 1n)) q++;
  const whole = (q / 100n).toString().padStart(3);
  const digits = (q % 100n).toString().padStart(2, "0");
  const frac = n % d === 0n ? digits.replace(/0+$/, "") : digits;
  return `${whole}${frac ? `.${frac}` : ""}%`;
}

const ROWS: Array<[label: string, code: number]> = [["non-tried", 0], ["rescued", 4], ["non-trimmed", 1], ["non-scraped", 2], ["bad-sector", 3]];

/** One map's summary (starting with its blank line), restricted to `ranges` (already cropped to the map). */
export function statusText(current: StatusLine, map: ExtentView, ranges: readonly Range[], binary = false): string {
  const num = (n: number) => formatNum(n, binary);
  const label = (text: string) => text.padStart(14);
  const bytes = [0, 0, 0, 0, 0];
  const areas = [0, 0, 0, 0, 0];
  let domainSize = 0;
  for (const [from, to] of ranges) {
    domainSize += to - from;
    map.scan((a, b, code) => {
      if (a >= to) return false;
      bytes[code]! += Math.min(b, to) - Math.max(a, from);
      areas[code]!++;
    }, from);
  }
  const lines = [
    "",
    `${label("current pos")}: ${num(current.pos)},  current status: ${PHASE[current.status] ?? current.status}`,
    `${label("mapfile extent")}: ${num(map.end)},  in ${String(map.count).padStart(6)} area(s)`,
  ];
  const whole = ranges.length === 1 && ranges[0]![0] === 0 && ranges[0]![1] === map.end;
  if (!whole) {
    lines.push(`${label("domain begin")}: ${num(ranges[0]![0])},  domain end: ${num(ranges[ranges.length - 1]![1])}`);
    lines.push(`${label("domain size")}: ${num(domainSize)},  in ${String(ranges.length).padStart(6)} area(s)`);
  }
  lines.push("");
  for (const [name, code] of ROWS) {
    lines.push(`${label(name)}: ${num(bytes[code]!)},  in ${String(areas[code]!).padStart(6)} area(s)  (${formatPercent(bytes[code]!, domainSize)})`);
  }
  return lines.join("\n") + "\n";
}
