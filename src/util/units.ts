// Human-readable byte counts, binary units (what dd and ddrescue users read).
const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

export function humanBytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

/** Parse "64MiB", "1G", "4096", "512k" into bytes: a bare number is bytes, k/M/G/T/P are binary multiples. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgtp])(i?b)?|b)?\s*$/i.exec(text);
  if (!m) throw new RangeError(`not a size: '${text}'`);
  const exp = m[2] ? "kmgtp".indexOf(m[2].toLowerCase()) + 1 : 0;
  const value = Number(m[1]) * 1024 ** exp;
  if (!Number.isSafeInteger(Math.round(value))) throw new RangeError(`size too large: '${text}'`);
  return Math.round(value);
}
