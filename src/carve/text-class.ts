// Is a fragment text? The 1990 textpieces rule: no byte with bit 7 set and no NUL
// except a tail of NULs (a tail of NULs is where a file ended inside its last
// fragment, because new blocks are zero-filled). --utf8 widens "text" to valid UTF-8,
// since today's sources and documents are not 7-bit ASCII.

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
 *  start (up to 3 continuation bytes) and, unless the text ends here, at the end. */
function isUtf8Text(b: Uint8Array, end: number, endsHere: boolean): boolean {
  let i = 0;
  while (i < end && i < 3 && (b[i]! & 0xc0) === 0x80) i++;
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) (need = 1), (min = 0x80);
    else if (c >= 0xe0 && c <= 0xef) (need = 2), (min = 0x800);
    else if (c >= 0xf0 && c <= 0xf4) (need = 3), (min = 0x10000);
    else return false;
    if (i + need >= end) {
      // The character is cut by the end of the fragment: fine if the text goes on.
      if (endsHere) return false;
      for (let k = i + 1; k < end; k++) if ((b[k]! & 0xc0) !== 0x80) return false;
      return true;
    }
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}
