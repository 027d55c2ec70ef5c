// Text that came from a disk or a user's file reaches a terminal or a report only through
// here. A name on a hostile filesystem can hold ESC sequences (retitle the window, rewrite
// the screen, in some terminals answer back into the shell) or C1 controls (0x9B is CSI);
// a damaged one holds bytes that are not UTF-8 at all. Printable UTF-8 is kept as it is;
// C0, DEL, C1 and every byte that is not part of valid UTF-8 is shown as \xNN, and a
// backslash as \\, so the escaped form reads back unambiguously.

const hex = (b: number) => `\\x${b.toString(16).padStart(2, "0")}`;

/** Length of the valid UTF-8 sequence at bytes[i] (1 for ASCII), or 0 when there is none. */
function utf8Length(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) n = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    if (b === 0xe0) lo = 0xa0; // overlong
    if (b === 0xed) hi = 0x9f; // UTF-16 surrogates
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    if (b === 0xf0) lo = 0x90; // overlong
    if (b === 0xf4) hi = 0x8f; // past U+10FFFF
  } else return 0;
  if (i + n > bytes.length) return 0;
  const second = bytes[i + 1]!;
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

const decoder = new TextDecoder();

const isControl = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);

/**
 * Bytes as safe, printable text. With `max`, at most that many input bytes are shown and
 * a longer input ends in "…(N bytes)", so one hostile line cannot flood a terminal.
 */
export function escapeBytes(bytes: Uint8Array, max = Infinity): string {
  const end = Math.min(bytes.length, max);
  let out = "";
  for (let i = 0; i < end; ) {
    const n = utf8Length(bytes, i);
    if (n === 0) {
      out += hex(bytes[i]!);
      i++;
      continue;
    }
    if (n === 1) {
      const b = bytes[i]!;
      out += isControl(b) ? hex(b) : b === 0x5c ? "\\\\" : String.fromCharCode(b);
      i++;
      continue;
    }
    // A C1 control encoded as UTF-8 (C2 80..C2 9F) is as dangerous as the raw byte.
    if (n === 2 && bytes[i] === 0xc2 && bytes[i + 1]! <= 0x9f) out += hex(0xc2) + hex(bytes[i + 1]!);
    else out += decoder.decode(bytes.subarray(i, i + n));
    i += n;
  }
  return bytes.length > end ? `${out}…(${bytes.length} bytes)` : out;
}

/** A string read as latin1 (one char per byte, as mapfiles are): escaped like its bytes. */
export function escapeLatin1(text: string, max = Infinity): string {
  const out = escapeBytes(Buffer.from(text.length > max ? text.slice(0, max) : text, "latin1"));
  return text.length > max ? `${out}…(${text.length} bytes)` : out;
}

/** An already decoded string (UTF-8 text files): control characters escaped, at most `max` characters. */
export function escapeText(text: string, max = Infinity): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  let out = "";
  for (const ch of cut) {
    const cp = ch.codePointAt(0)!;
    out += isControl(cp) ? `\\x${cp.toString(16).padStart(2, "0")}` : ch === "\\" ? "\\\\" : ch;
  }
  return text.length > max ? `${out}…(${text.length} characters)` : out;
}
