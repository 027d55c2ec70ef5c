// FFI table for the byte scans in csrc/text-scan.c (merged into library.ts).
import { FFIType } from "bun:ffi";

const { i32, i64_fast, ptr } = FFIType;

export const textScanSymbols = {
  shim_text_gram_set: { args: [ptr, i64_fast, ptr], returns: i64_fast },
  shim_text_control_map: { args: [ptr, i64_fast, i64_fast, ptr], returns: i64_fast },
  shim_text_gram_hits: { args: [ptr, ptr, i64_fast], returns: i64_fast },
  shim_text_window_stats: { args: [ptr, i64_fast, i32, ptr, ptr, ptr], returns: i64_fast },
} as const;
