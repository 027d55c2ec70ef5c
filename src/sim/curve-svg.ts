// A picture of time to data: recovered bytes over virtual time for several runs on the same
// simulated disk, overlaid. Top panel: % of the readable bytes recovered; bottom panel: %
// still missing on a log scale, where 90 / 99 / 99.9 % are equal steps and the slow tail of
// a rescue shows. Time is logarithmic in both (runs span tenths of seconds to hours). Pure:
// curves in, SVG text out.
import type { Curve } from "./curve.ts";

const palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
/** Runs often coincide for a while (ddrescue with and without -r3): dashes keep each visible. */
const dashes = ["", "9,4", "3,3", "12,3,3,3"];
const W = 900;
const LEFT = 70;
const RIGHT = 45;
const PANEL = 260;
const GAP = 50;
const TOP = 40;
/** The missing panel ends at 1 ppm of the readable bytes ("99.9999 %"). */
const MISSING_FLOOR = 1e-6;

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const fmtSeconds = (s: number) => (s >= 1 ? `${+s.toPrecision(3)} s` : `${+(s * 1000).toPrecision(3)} ms`);

export function curvesToSvg(curves: Curve[], o: { title?: string; budgetSeconds?: number } = {}): string {
  const times = curves.flatMap((c) => c.points.map((p) => p[0]).filter((t) => t > 0));
  const lo = Math.pow(10, Math.floor(Math.log10(Math.max(1e-3, Math.min(...times, o.budgetSeconds ?? Infinity, 1)))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(lo * 10, ...times, o.budgetSeconds ?? 0))));
  const plotW = W - LEFT - RIGHT;
  const x = (t: number) => LEFT + (plotW * (Math.log10(Math.max(t, lo)) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo));
  const top1 = TOP;
  const top2 = TOP + PANEL + GAP;
  const yRecovered = (f: number) => top1 + PANEL * (1 - f);
  const decades = -Math.log10(MISSING_FLOOR);
  const yMissing = (f: number) => top2 + (PANEL * Math.min(decades, -Math.log10(Math.max(f, MISSING_FLOOR)))) / decades;
  const legendTop = top2 + PANEL + 45;
  const H = legendTop + 18 * curves.length + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${LEFT}" y="22" font-size="15">${escape(o.title ?? "time to data")}</text>`,
  ];
  // frames, time grid (decades) and labels
  for (const [top, name] of [[top1, "recovered (% of readable bytes)"], [top2, "still missing (% of readable bytes, log)"]] as const) {
    out.push(`<rect x="${LEFT}" y="${top}" width="${plotW}" height="${PANEL}" fill="none" stroke="#444"/>`);
    out.push(`<text x="${LEFT + 4}" y="${top - 6}" fill="#333">${name}</text>`);
    for (let t = lo; t <= hi * 1.0001; t *= 10) {
      out.push(`<line x1="${x(t).toFixed(1)}" y1="${top}" x2="${x(t).toFixed(1)}" y2="${top + PANEL}" stroke="#ddd"/>`);
      out.push(`<text x="${x(t).toFixed(1)}" y="${top + PANEL + 15}" text-anchor="middle" fill="#333">${fmtSeconds(t)}</text>`);
    }
  }
  out.push(`<text x="${LEFT + plotW / 2}" y="${top2 + PANEL + 32}" text-anchor="middle" fill="#333">virtual seconds (log)</text>`);
  for (const f of [0, 0.25, 0.5, 0.75, 0.9, 1]) {
    out.push(`<line x1="${LEFT}" y1="${yRecovered(f).toFixed(1)}" x2="${LEFT + plotW}" y2="${yRecovered(f).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${LEFT - 6}" y="${(yRecovered(f) + 4).toFixed(1)}" text-anchor="end" fill="#333">${f * 100}%</text>`);
  }
  for (let d = 0; d <= decades; d++) {
    const f = Math.pow(10, -d);
    out.push(`<line x1="${LEFT}" y1="${yMissing(f).toFixed(1)}" x2="${LEFT + plotW}" y2="${yMissing(f).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${LEFT - 6}" y="${(yMissing(f) + 4).toFixed(1)}" text-anchor="end" fill="#333">${+(f * 100).toPrecision(1)}%</text>`);
  }
  if (o.budgetSeconds !== undefined) {
    for (const top of [top1, top2]) {
      const bx = x(o.budgetSeconds).toFixed(1);
      out.push(`<line x1="${bx}" y1="${top}" x2="${bx}" y2="${top + PANEL}" stroke="#000" stroke-dasharray="5,4"/>`);
    }
    out.push(`<text x="${(x(o.budgetSeconds) + 4).toFixed(1)}" y="${top1 + 14}" fill="#000">budget ${fmtSeconds(o.budgetSeconds)}</text>`);
  }
  curves.forEach((c, i) => {
    const colour = palette[i % palette.length]!;
    const readable = Math.max(1, c.readableBytes);
    const dash = dashes[i % dashes.length]!;
    out.push(polyline(c.points, (t) => x(t), (b) => yRecovered(b / readable), colour, dash));
    out.push(polyline(c.points, (t) => x(t), (b) => yMissing(1 - b / readable), colour, dash));
    const y = legendTop + 18 * i;
    const t = (k: keyof Curve["t"]) => (c.t[k] === null ? "never" : fmtSeconds(c.t[k]!));
    out.push(`<line x1="${LEFT}" y1="${y - 4}" x2="${LEFT + 16}" y2="${y - 4}" stroke="${colour}" stroke-width="3"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`);
    out.push(
      `<text x="${LEFT + 22}" y="${y}">${escape(c.label)}: t90 ${t("90")}, t99 ${t("99")}, t99.9 ${t("99.9")}, t100 ${t("100")}; ${c.errorReads} error reads; total ${fmtSeconds(c.totalSeconds)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** A step line: the value holds until the next point. */
function polyline(points: [number, number][], x: (t: number) => number, y: (b: number) => number, colour: string, dash: string): string {
  const xy: string[] = [];
  let prev: [number, number] | null = null;
  for (const p of points) {
    if (prev) xy.push(`${x(p[0]).toFixed(1)},${y(prev[1]).toFixed(1)}`);
    xy.push(`${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`);
    prev = p;
  }
  return `<polyline fill="none" stroke="${colour}" stroke-width="1.6"${dash ? ` stroke-dasharray="${dash}"` : ""} points="${xy.join(" ")}"/>`;
}
