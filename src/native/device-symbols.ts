// Symbol table for the CD-ROM/DVD and floppy ioctls (csrc/cdrom.c, csrc/floppy.c),
// merged into the shim's table in library.ts.
import { FFIType } from "bun:ffi";

const { i32, i64_fast, ptr } = FFIType;

export const deviceSymbols = {
  shim_cd_drive_status: { args: [i32], returns: i32 },
  shim_cd_disc_status: { args: [i32], returns: i32 },
  shim_cd_last_written: { args: [i32], returns: i64_fast },
  shim_cd_read_raw: { args: [i32, i32, i32, i32, ptr], returns: i32 },
  shim_cd_read_mode1: { args: [i32, i32, i32, i32, ptr], returns: i32 },
  shim_cd_read_mode2: { args: [i32, i32, i32, i32, ptr], returns: i32 },
  shim_cd_reset: { args: [i32], returns: i32 },
  shim_cd_toc_header: { args: [i32], returns: i32 },
  shim_cd_toc_entry: { args: [i32, i32, ptr], returns: i32 },
  shim_dvd_physical: { args: [i32, ptr], returns: i32 },
  shim_open_control: { args: [ptr], returns: i32 },
  shim_fd_reset: { args: [i32], returns: i32 },
  shim_fd_twaddle: { args: [i32], returns: i32 },
  shim_fd_get_prm: { args: [i32, ptr], returns: i32 },
  shim_fd_drive_type: { args: [i32, ptr], returns: i32 },
} as const;
