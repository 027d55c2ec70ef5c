// Text that ends up inside one line of a file we write (a mapfile header comment, a damage
// file comment) comes from the command line or a file name, and may hold any character. A
// newline there would end the comment and turn the rest into a line the parser rejects,
// so control characters (C0, DEL, C1) are written as escapes: \n, \r, \t, \xHH, \u00HH.
const names: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return names[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
  });
}
