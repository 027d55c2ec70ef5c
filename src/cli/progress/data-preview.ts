// ddrescue -P: the last data read, as a hex dump above the status figures, so a user sees
// at a glance whether the disk gives real data or zeros/garbage. 16 bytes a line, the same
// layout ddrescue uses (position, two groups of eight bytes, printable ASCII).
const BYTES_PER_LINE = 16;

export class DataPreview {
  private readonly bytes: Uint8Array;
  private length = 0;
  private pos = 0;

  constructor(readonly lines: number) {
    this.bytes = new Uint8Array(lines * BYTES_PER_LINE);
  }

  /** After a good read of `n` bytes at `pos` into `buf`: keep the first lines (no allocation). */
  took(buf: Uint8Array, pos: number, n: number): void {
    this.length = Math.min(n, this.bytes.length);
    this.bytes.set(buf.subarray(0, this.length));
    this.pos = pos;
  }

  /** "Data preview:" and one line per 16 bytes (or "No data available"), fitted to `width`. */
  render(width: number): string[] {
    const out = ["Data preview:"];
    if (this.length === 0) {
      const none = "No data available";
      // 28 columns in, where ddrescue puts it; less in a narrow window.
      const pad = Math.max(0, Math.min(28, Math.floor((width - 1 - none.length) / 2)));
      for (let k = 0; k < this.lines; k++) out.push(k === Math.floor(this.lines / 2) ? " ".repeat(pad) + none : "");
      return out;
    }
    for (let k = 0; k < this.lines; k++) {
      const from = k * BYTES_PER_LINE;
      if (from >= this.length) {
        out.push("");
        continue;
      }
      out.push(hexLine(this.pos + from, this.bytes.subarray(from, Math.min(this.length, from + BYTES_PER_LINE))).slice(0, Math.max(0, width - 1)));
    }
    return out;
  }
}

/** "00002D0010  41 60 82 7B B9 26 17 E5  65 63 75 3D 86 0B 24 05  A`.{.&..ecu=..$." */
export function hexLine(pos: number, b: Uint8Array): string {
  let hex = "";
  let text = "";
  for (let i = 0; i < BYTES_PER_LINE; i++) {
    if (i === 8) hex += " ";
    hex += i < b.length ? `${b[i]!.toString(16).toUpperCase().padStart(2, "0")} ` : "   ";
    if (i < b.length) text += b[i]! >= 0x20 && b[i]! < 0x7f ? String.fromCharCode(b[i]!) : ".";
  }
  return `${pos.toString(16).toUpperCase().padStart(10, "0")}  ${hex} ${text}`;
}
