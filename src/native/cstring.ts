// C strings for the shim: bun:ffi refuses JS strings for pointer arguments.
// The last one is kept: a rescue reopens the same path after every failed read. The C side
// only reads these buffers.
let lastText: string | null = null;
let lastBuffer: Buffer | null = null;

export function cString(s: string): Buffer {
  if (s !== lastText) {
    lastBuffer = Buffer.from(s + "\0", "utf8");
    lastText = s;
  }
  return lastBuffer!;
}
