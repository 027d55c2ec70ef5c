// Durations in damage files: "8ms", "0.05ms", "2s", "150us", "6.7ns", "0".
const scale: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, ms: 1e6, s: 1e9, min: 60e9 };

/** Nanoseconds (may be fractional), or null if the text is not a duration. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|min)?$/.exec(text.trim());
  if (!m) return null;
  const unit = m[2];
  if (!unit) return Number(m[1]) === 0 ? 0 : null; // a bare number is ambiguous, except 0
  return Number(m[1]) * scale[unit]!;
}

/** Shortest exact-ish rendering for writing damage files. */
export function formatDuration(ns: number): string {
  if (ns === 0) return "0";
  for (const [unit, f] of [["s", 1e9], ["ms", 1e6], ["us", 1e3]] as const) {
    if (ns >= f) return `${+(ns / f).toFixed(6)}${unit}`;
  }
  return `${+ns.toFixed(3)}ns`;
}
