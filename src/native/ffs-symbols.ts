// FFI table for the FFS structure decoders in csrc/ffs.c (merged into library.ts).
import { FFIType } from "bun:ffi";

const { i32, i64_fast, ptr } = FFIType;

export const ffsSymbols = {
  shim_ffs_sb_decode: { args: [ptr, i64_fast, ptr], returns: i32 },
  shim_ffs_cg_decode: { args: [ptr, i64_fast, i32, i64_fast, ptr], returns: i32 },
  shim_ffs_inode_decode: { args: [ptr, i64_fast, i64_fast, i32, i32, ptr], returns: i32 },
  shim_ffs_dirent_decode: { args: [ptr, i64_fast, i64_fast, i32, i32, ptr], returns: i32 },
  shim_ffs_uniform_map: { args: [ptr, i64_fast, i64_fast, ptr], returns: i64_fast },
} as const;
