// Embedded native libraries live inside the compiled binary under /$bunfs and must become a
// real file before dlopen or the dynamic loader (LD_PRELOAD) can use them. salvage runs as root
// next to other users, so such a file must be one no one else can have planted or changed:
//   1. an anonymous, sealed memfd, loaded as /proc/self/fd/N (no name in any directory), or
//   2. a file we create exclusively in a fresh private directory (mkdtemp, 0700) inside a
//      parent no other user can rearrange, removed again once loaded.
// Bun's own extraction (a fixed name in $TMPDIR, reused by later runs) is never used, and no
// existing file is ever reused. See docs/security.md.
import { closeSync, constants, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { makePrivateDir, tempParents, unsafeParentReason } from "../util/private-dir.ts";
import { closeMemfd, sealedMemfd } from "./memfd.ts";

export class ExtractError extends Error {
  override name = "ExtractError";
}

/** True when the path is inside the compiled binary's virtual filesystem. */
export function isEmbedded(path: string): boolean {
  return path.startsWith("/$bunfs/") || path.includes("~BUN/");
}

/** The library's bytes (read from the binary itself). */
export function embeddedBytes(embedded: string): Uint8Array {
  return readFileSync(embedded);
}

/**
 * Load an embedded library with `load(path)` (dlopen) from a file only this process made.
 * `load` must throw when the library cannot be used (a noexec mount, for example).
 */
export function loadEmbedded<T>(embedded: string, name: string, load: (realPath: string) => T): T {
  const bytes = embeddedBytes(embedded);
  const tried: string[] = [];
  const fd = sealedMemfd(name, bytes);
  if (fd !== null) {
    try {
      return load(`/proc/self/fd/${fd}`);
    } catch (e) {
      tried.push(`memfd (${shortReason(e)})`);
    } finally {
      closeMemfd(fd); // the mapping stays; the descriptor is not needed any more
    }
  } else tried.push("memfd (unavailable)");
  for (const parent of tempParents()) {
    const unfit = unsafeParentReason(parent);
    if (unfit) {
      tried.push(`${parent} (${unfit})`);
      continue;
    }
    let dir: string | undefined;
    try {
      dir = makePrivateDir(".salvage-lib-", [parent]);
      return load(writePrivateCopy(dir, name, bytes));
    } catch (e) {
      tried.push(`${parent} (${shortReason(e)})`);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
  throw new ExtractError(
    `cannot load the native library ${name}: tried ${tried.join(", ")}; ` +
      `set TMPDIR to a private directory on a filesystem mounted without noexec`,
  );
}

/** Write `bytes` as `<dir>/<name>`, created exclusively (never through a symlink); its path. */
export function writePrivateCopy(dir: string, name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o500);
  try {
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
  } finally {
    closeSync(fd);
  }
  return path;
}

function shortReason(e: unknown): string {
  const err = e as { code?: string; message?: string };
  if (err.code && !String(err.message ?? "").includes("dlopen")) return err.code;
  const msg = String(err.message ?? e);
  return msg.split("\n")[0]!.slice(0, 100);
}
