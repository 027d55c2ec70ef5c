// FFI table for the byte scans in csrc/text-scan.c (merged into library.ts).
import { FFIType } from "bun:ffi";

const { i64_fast, ptr } = FFIType;

export const textScanSymbols = {
  shim_text_gram_set: { args: [ptr, i64_fast, ptr], returns: i64_fast },
  shim_text_control_map: { args: [ptr, i64_fast, i64_fast, ptr], returns: i64_fast },
} as const;
