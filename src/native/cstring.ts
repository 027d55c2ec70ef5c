// C strings for the shim: bun:ffi refuses JS strings for pointer arguments.
export function cString(s: string): Buffer {
  return Buffer.from(s + "\0", "utf8");
}
