// The preload library for the simulated command. The dynamic loader of the child process
// needs a path, and salvage runs as root, so the path must name a file no other user can have
// planted or changed (docs/security.md):
//   - normally a copy written exclusively into the run's private directory (mkdtemp, 0700):
//     a stable path for the command and everything it starts;
//   - when that directory's filesystem is mounted noexec, a sealed memfd handed to the command
//     as descriptor 3 and named /proc/self/fd/3 (a command that closes descriptor 3 before
//     starting another program leaves that program unsimulated).
// In development (not compiled) it is build/host/libsalvage-sim.so of this checkout.
import { accessSync, constants } from "node:fs";
import embeddedSim from "../../build/host/libsalvage-sim.so" with { type: "file" };
import { embeddedBytes, ExtractError, isEmbedded, writePrivateCopy } from "../native/embedded-library.ts";
import { closeMemfd, sealedMemfd } from "../native/memfd.ts";

/** The library file itself when running from source (tests use it directly). */
export const sourcePreloadLibrary = embeddedSim;

/** Descriptor number the memfd gets in the child. */
export const PRELOAD_FD = 3;

export interface Preload {
  /** The LD_PRELOAD entry. */
  path: string;
  /** A descriptor the child must inherit as PRELOAD_FD, if any. */
  fd?: number;
  release(): void;
}

export function preparePreload(privateDir: string): Preload {
  if (!isEmbedded(embeddedSim)) return { path: embeddedSim, release() {} };
  const bytes = embeddedBytes(embeddedSim);
  const path = writePrivateCopy(privateDir, "libsalvage-sim.so", bytes);
  if (executable(path)) return { path, release() {} };
  const fd = sealedMemfd("libsalvage-sim.so", bytes);
  if (fd === null) throw new ExtractError(`cannot provide the simulator library: ${privateDir} is on a noexec filesystem and memfd_create failed; set TMPDIR to a private directory on an executable filesystem`);
  return { path: `/proc/self/fd/${PRELOAD_FD}`, fd, release: () => closeMemfd(fd) };
}

/** access(X_OK) fails on a noexec mount, where the loader could not map the library either. */
function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
