// The time-to-data table of `simulate score DAMAGE RECORD...` and of the rescue benchmark.
import { humanBytes } from "../util/units.ts";
import type { Curve } from "./curve.ts";

export const secs = (s: number | null) => (s === null ? "never" : s.toFixed(s < 10 ? 2 : 1));

export function formatCurves(curves: Curve[], points = false): string {
  const c0 = curves[0]!;
  const lines = [
    `readable: ${c0.readableBytes} bytes (${humanBytes(c0.readableBytes)} of ${humanBytes(c0.size)}); times in virtual seconds`,
  ];
  const budget = c0.budget;
  const head = ["run", "t90", "t99", "t99.9", "t100", "err<100%", "err reads", "reads", "total", "missed"];
  if (budget) head.push(`@${secs(budget.seconds)}s`);
  const rows = curves.map((c) => {
    const row = [c.label, secs(c.t["90"]), secs(c.t["99"]), secs(c.t["99.9"]), secs(c.t["100"]), String(c.errorReadsBefore100), String(c.errorReads), String(c.reads), secs(c.totalSeconds), String(c.missedBytes)];
    if (c.budget) row.push(`${((100 * c.budget.recoveredBytes) / Math.max(1, c.readableBytes)).toFixed(3)}%`);
    return row;
  });
  const width = Math.max(...[head, ...rows].map((r) => r[0]!.length));
  const fmt = (r: string[]) => r[0]!.padEnd(width) + r.slice(1).map((v) => v.padStart(11)).join("");
  lines.push(fmt(head), ...rows.map(fmt));
  if (points)
    for (const c of curves) {
      lines.push(`${c.label}: seconds recovered-bytes`);
      for (const [t, b] of c.points) lines.push(`  ${t.toFixed(6)} ${b}`);
    }
  return lines.join("\n") + "\n";
}
