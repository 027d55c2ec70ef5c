// Anonymous in-memory files (memfd_create): a library written there has no name in any
// directory, so no other user can plant, replace or change it. The calls go straight to the
// C library through bun:ffi because they are needed before our own shim is loaded.
import { dlopen, FFIType } from "bun:ffi";
import { cString } from "./cstring.ts";

const MFD_CLOEXEC = 0x1, MFD_ALLOW_SEALING = 0x2, MFD_EXEC = 0x10;
const F_ADD_SEALS = 1033, F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8;

type Libc = ReturnType<typeof openLibc>;
let libc: Libc | null | undefined;

function openLibc() {
  // glibc's soname; musl's loader answers to it too.
  return dlopen("libc.so.6", {
    memfd_create: { args: [FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
    write: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64_fast },
    fcntl: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    close: { args: [FFIType.i32], returns: FFIType.i32 },
  }).symbols;
}

function c(): Libc | null {
  if (libc === undefined) {
    try {
      libc = openLibc();
    } catch {
      libc = null;
    }
  }
  return libc;
}

/**
 * A sealed memfd holding `bytes` (close-on-exec), or null when the kernel or C library
 * cannot make one. Sealed: not even we can change it afterwards.
 */
export function sealedMemfd(name: string, bytes: Uint8Array): number | null {
  const lib = c();
  if (!lib) return null;
  // MFD_EXEC is needed where vm.memfd_noexec asks for it; older kernels refuse the flag.
  let fd = lib.memfd_create(cString(name), MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (fd < 0) fd = lib.memfd_create(cString(name), MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return null;
  let done = 0;
  while (done < bytes.length) {
    const n = Number(lib.write(fd, bytes.subarray(done), bytes.length - done));
    if (n <= 0) {
      lib.close(fd);
      return null;
    }
    done += n;
  }
  lib.fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
  return fd;
}

export function closeMemfd(fd: number): void {
  c()?.close(fd);
}
