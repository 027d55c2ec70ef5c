// The shim's symbol table, in one place. Offsets and lengths use i64_fast so they
// arrive as plain numbers (exact up to 8 PiB) instead of BigInts.
// Later areas (CD-ROM, floppy, FFS decoding) add their own tables and are merged in library.ts.
import { FFIType } from "bun:ffi";

const { i32, i64_fast, ptr, cstring, void: none } = FFIType;

export const ioSymbols = {
  shim_open_read: { args: [ptr, i32], returns: i32 },
  shim_open_target: { args: [ptr, i32, i32], returns: i32 },
  shim_close: { args: [i32], returns: i32 },
  shim_pread: { args: [i32, ptr, i64_fast, i64_fast], returns: i64_fast },
  shim_pwrite: { args: [i32, ptr, i64_fast, i64_fast], returns: i64_fast },
  shim_read: { args: [i32, ptr, i64_fast], returns: i64_fast },
  shim_write: { args: [i32, ptr, i64_fast], returns: i64_fast },
  shim_lseek: { args: [i32, i64_fast, i32], returns: i64_fast },
  shim_sendfile: { args: [i32, i32, i64_fast, i64_fast], returns: i64_fast },
  shim_fsync: { args: [i32], returns: i32 },
  shim_fdatasync: { args: [i32], returns: i32 },
  shim_syncfs: { args: [i32], returns: i32 },
  shim_open_directory: { args: [ptr], returns: i32 },
  shim_ftruncate: { args: [i32, i64_fast], returns: i32 },
  shim_fallocate: { args: [i32, i64_fast, i64_fast], returns: i32 },
  shim_start_writeback: { args: [i32, i64_fast, i64_fast], returns: i32 },
  shim_access: { args: [ptr, i32], returns: i32 },
  shim_rename: { args: [ptr, ptr], returns: i32 },
  shim_fstat: { args: [i32, ptr], returns: i32 },
  shim_stat: { args: [ptr, ptr], returns: i32 },
  shim_sizeof_stat: { args: [], returns: i32 },
  shim_alloc_aligned: { args: [i64_fast, i64_fast], returns: ptr },
  shim_free: { args: [ptr], returns: none },
  shim_free_ctx: { args: [ptr, ptr], returns: none },
  shim_blk_size64: { args: [i32], returns: i64_fast },
  shim_blk_logical_sector: { args: [i32], returns: i32 },
  shim_blk_physical_sector: { args: [i32], returns: i32 },
  shim_blk_readonly: { args: [i32], returns: i32 },
  shim_strerror: { args: [i32], returns: cstring },
} as const;
