// Is a fragment text? The 1990 textpieces rule: no byte with bit 7 set and no NUL
// except a tail of NULs (a tail of NULs is where a file ended inside its last
// fragment, because new blocks are zero-filled). --utf8 widens "text" to valid UTF-8,
// since today's sources and documents are not 7-bit ASCII.
import { isUtf8 } from "node:buffer";

export const enum FragmentKind {
  /** Not text: ends any run of text fragments. */
  Binary = 0,
  /** Text all the way to the end of the fragment: the file may continue. */
  Text = 1,
  /** Text followed by trailing NULs: a file ends here. `textLength` says where. */
  TextEnd = 2,
}

export interface Classification {
  kind: FragmentKind;
  /** Bytes of text before the trailing NULs (the whole fragment for Text). */
  textLength: number;
}

/** What counts as text: 7-bit ASCII (the 1990 rule), valid UTF-8, or 8-bit Latin-1 text. */
export type TextEncoding = "ascii" | "utf8" | "latin1";

/** Classify bytes[0, length). One pass, no allocation. `utf8` true/false = "utf8"/"ascii". */
export function classify(bytes: Uint8Array, length: number, encoding: boolean | TextEncoding): Classification {
  const enc = encoding === true ? "utf8" : encoding === false ? "ascii" : encoding;
  const nul = bytes.indexOf(0);
  const end = nul < 0 || nul >= length ? length : nul;
  for (let i = end; i < length; i++) if (bytes[i] !== 0) return { kind: FragmentKind.Binary, textLength: 0 };
  const ok = enc === "utf8" ? isUtf8Text(bytes, end, nul >= 0 && nul < length) : enc === "latin1" ? isLatin1Text(bytes, end) : isAscii(bytes, end);
  if (!ok) return { kind: FragmentKind.Binary, textLength: 0 };
  return end < length ? { kind: FragmentKind.TextEnd, textLength: end } : { kind: FragmentKind.Text, textLength: length };
}

function isAscii(b: Uint8Array, end: number): boolean {
  for (let i = 0; i < end; i++) if (b[i]! & 0x80) return false;
  return true;
}

/** Latin-1 text: printable ASCII, the usual controls (BS, TAB, LF, VT, FF, CR, ESC) and
 *  0xA0-0xFF. Other C0 controls, DEL and C1 (0x80-0x9F) mark binary data: a random byte
 *  fails with odds of about one in five, so a binary fragment is never taken for text. */
function isLatin1Text(b: Uint8Array, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = b[i]!;
    if (c >= 0x20 ? c >= 0x7f && c < 0xa0 : c < 0x07 || (c > 0x0d && c !== 0x1b)) return false;
  }
  return true;
}

/** Valid UTF-8 in b[0, end). A character cut by the fragment boundary is allowed at the
 *  start (up to 3 continuation bytes) and, unless the text ends here, at the end. The
 *  validation itself is node:buffer's isUtf8 (native: overlongs, surrogates and code points
 *  past U+10FFFF are rejected). */
function isUtf8Text(b: Uint8Array, end: number, endsHere: boolean): boolean {
  let i = 0;
  while (i < end && i < 3 && (b[i]! & 0xc0) === 0x80) i++;
  let e = end;
  // The last character may be cut by the end of the fragment.
  for (let j = end - 1; j >= i && j >= end - 4; j--) {
    const c = b[j]!;
    if ((c & 0xc0) === 0x80) continue;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
      if (j + need >= end) {
        if (endsHere || c < 0xc2 || c > 0xf4) return false;
        e = j;
      }
    }
    break;
  }
  return e <= i || isUtf8(b.subarray(i, e));
}
