// safecopy's `-T` timing file: one line per read attempt, `%010llu %lu %lli`:
// block number (position / block size at the time of the read, 10 digits zero padded),
// elapsed microseconds for seek + wait + read, and the read result (bytes, -1, or 0 at the end).

export interface TimingRecord {
  block: number;
  micros: number;
  /** Bytes read, -1 for a failed read (safecopy prints read()'s -1, not the errno), 0 at the end. */
  result: number;
}

export function formatTimingLine(r: TimingRecord): string {
  return `${String(r.block).padStart(10, "0")} ${r.micros} ${r.result}\n`;
}

/** Parse a timing file; lines that do not match are skipped (the file is append-only and may hold several runs). */
export function parseTiming(text: string): TimingRecord[] {
  const out: TimingRecord[] = [];
  const shape = /^(\d+) (\d+) (-?\d+)$/;
  // Line by line without split(): a long run's file has millions of lines.
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf("\n", at);
    const end = nl < 0 ? text.length : nl;
    // The longest valid line is three 20-digit numbers; longer ones are skipped unread.
    const m = end - at <= 64 ? shape.exec(text.slice(at, end)) : null;
    if (m) out.push({ block: Number(m[1]), micros: Number(m[2]), result: Number(m[3]) });
    at = end + 1;
  }
  return out;
}
