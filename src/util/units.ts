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

/**
 * GNU ddrescue's number syntax (its `--help`: "Numbers may be in decimal, hexadecimal, or
 * octal, and may be followed by a multiplier"), shared by `salvage rescue` and `salvage map`
 * so a ddrescue command line means the same here: a C integer (`4096`, `0x1000`, `010` = 8),
 * then optionally an SI multiplier `k M G T P E` (powers of 1000; `k` lower case only) or a
 * binary one `Ki Mi Gi Ti Pi Ei` (powers of 1024), then optionally `s` (sectors) or `B`.
 * `s` may follow a multiplier (`ks` = 1000 sectors) but not be combined with `B`.
 * ddrescue refuses `1K`, `1.5M`, `1e3`, `08`, `1sB` and trailing blanks; so does this.
 */
export const DDRESCUE_NUMBER_FORMS = "a whole number (decimal, 0x hex or 0 octal), optionally followed by k M G T P E (powers of 1000) or Ki Mi Gi Ti Pi Ei (powers of 1024), then s (sectors) or B; e.g. 4096, 64Ki, 1MiB, 8s, 0x100000";
/** The same without `s`, for options that count sectors or things. */
export const DDRESCUE_COUNT_FORMS = "a whole number (decimal, 0x hex or 0 octal), optionally followed by k M G T P E (powers of 1000) or Ki Mi Gi Ti Pi Ei (powers of 1024); e.g. 128, 64Ki, 0x80";

const SI = "kMGTPEZY";

/** Thrown by parseDdrescueNumber for text that is not a number at all (not for range). */
export class NumberSyntaxError extends RangeError {
  override name = "NumberSyntaxError";
}

/**
 * Parse `text` in ddrescue's syntax. `sectorSize` is what `s` means; null refuses `s`
 * (ddrescue's -b and -c). The result is exact up to 2^53; larger values are refused
 * (a rescue position beyond that cannot be addressed exactly).
 */
export function parseDdrescueNumber(text: string, sectorSize: number | null = 512): number {
  const m = /^[ \t]*([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(?:([kKMGTPEZY])(i?))?(s|B)?$/.exec(text);
  if (!m) throw new NumberSyntaxError(`not a number: '${text}'`);
  const [, sign, digits, prefix, binary, unit] = m;
  // SI k is lower case; its binary form is Ki (upper case), as in ddrescue.
  if ((prefix === "k" && binary) || (prefix === "K" && !binary)) throw new NumberSyntaxError(`not a number: '${text}'`);
  if (unit === "s" && sectorSize === null) throw new NumberSyntaxError(`not a number: '${text}'`);
  const base = /^0[xX]/.test(digits!) ? Number.parseInt(digits!.slice(2), 16) : digits!.length > 1 && digits!.startsWith("0") ? Number.parseInt(digits!, 8) : Number(digits);
  const exp = prefix ? (prefix === "k" || prefix === "K" ? 1 : SI.indexOf(prefix) + 1) : 0;
  const multiplier = (binary ? 1024 : 1000) ** exp * (unit === "s" ? sectorSize! : 1);
  const value = (sign === "-" ? -1 : 1) * base * multiplier;
  if (!Number.isSafeInteger(value)) throw new RangeError(`number too large: '${text}'`);
  return value;
}

/**
 * ddrescue's time intervals (`-T`, `--delay-slow`, `--pause-on-error`): `30`, `1.5m`,
 * `1/2h`, with an optional unit `s m h d`, in whole seconds once converted (ddrescue
 * refuses `1.5` and `1/2`, but takes `1.5m` = 90 s). Returns seconds.
 */
export const INTERVAL_FORMS = "a number of seconds, or N.N or N/N followed by s m h d (seconds, minutes, hours, days) giving whole seconds; e.g. 30, 90s, 1.5m, 1/2h, 2d";

export function parseInterval(text: string, fractions = false): number {
  const m = /^(\d+)(?:\.(\d+)|\/(\d+))?([smhd]?)$/.exec(text);
  if (!m) throw new NumberSyntaxError(`not an interval: '${text}'`);
  const [, whole, frac, denom, unit] = m;
  const scale = ({ "": 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[unit!]!;
  // Exact arithmetic: 1/3m is 20 s, 1/7m is not whole and refused.
  let num = BigInt(whole!) * BigInt(scale);
  let den = 1n;
  if (frac !== undefined) {
    den = 10n ** BigInt(frac.length);
    num = BigInt(whole! + frac) * BigInt(scale);
  } else if (denom !== undefined) {
    den = BigInt(denom);
    if (den === 0n) throw new NumberSyntaxError(`not an interval: '${text}'`);
  }
  // `fractions`: salvage's own intervals (--mapfile-interval 0.05) may be shorter than a second.
  if (num % den !== 0n) {
    if (fractions) return Number(num) / Number(den);
    throw new NumberSyntaxError(`not a whole number of seconds: '${text}'`);
  }
  const seconds = num / den;
  if (seconds > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`interval too long: '${text}'`);
  return Number(seconds);
}
