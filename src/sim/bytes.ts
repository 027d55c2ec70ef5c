// Byte counts in damage files and options. A bare number is bytes; suffixes as parseSize.
// (Bare digits are handled here because util/units.parseSize multiplies them by 1024.)
import { parseSize } from "../util/units.ts";

export function parseBytes(text: string): number {
  if (/^\s*\d+\s*$/.test(text)) {
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw new RangeError(`size too large: '${text}'`);
    return n;
  }
  return parseSize(text);
}
