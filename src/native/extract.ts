// Embedded native libraries live inside the compiled binary under /$bunfs and must be
// written to a real file before dlopen or LD_PRELOAD can use them. Bun does this itself
// for dlopen, but only into $TMPDIR; a rescue system may have no $TMPDIR, a read-only
// /tmp or a noexec one, so we try several places and say plainly when all fail.
import { existsSync, readFileSync, statSync } from "node:fs";
import { writeBytesAtomically } from "../util/atomic-file.ts";
import { join } from "node:path";

export class ExtractError extends Error {
  override name = "ExtractError";
}

/** True when the path is inside the compiled binary's virtual filesystem. */
export function isEmbedded(path: string): boolean {
  return path.startsWith("/$bunfs/") || path.includes("~BUN/");
}

/** Directories tried, in order, for extracted libraries. */
export function extractionDirs(env: Record<string, string | undefined> = process.env): string[] {
  const dirs = [env.TMPDIR, "/tmp", "/dev/shm", "/run", env.XDG_RUNTIME_DIR].filter((d): d is string => !!d);
  return [...new Set(dirs)];
}

/**
 * Write the embedded file to the first usable directory and return the real path.
 * `usable` lets the caller check the result (dlopen it) so a noexec mount counts as a failure.
 * The name carries a content hash, so later runs reuse the file and different builds never clash.
 */
export function extractEmbedded<T>(embedded: string, baseName: string, usable: (realPath: string) => T): { path: string; value: T } {
  const bytes = readFileSync(embedded);
  const hash = Bun.hash(bytes).toString(16);
  const uid = process.getuid?.() ?? 0;
  const tried: string[] = [];
  for (const dir of extractionDirs()) {
    const target = join(dir, `.salvage-${uid}-${hash}-${baseName}`);
    try {
      if (!existsSync(target) || statSync(target).size !== bytes.length) writeBytesAtomically(target, bytes, 0o700);
      return { path: target, value: usable(target) };
    } catch (e) {
      tried.push(`${dir} (${shortReason(e)})`);
    }
  }
  throw new ExtractError(
    `cannot unpack the native library ${baseName}: no writable, executable directory among ${tried.join(", ")}; ` +
      `set TMPDIR to a writable directory on a filesystem mounted without noexec`,
  );
}

function shortReason(e: unknown): string {
  const err = e as { code?: string; message?: string };
  if (err.code) return err.code;
  const msg = String(err.message ?? e);
  return msg.split("\n")[0]!.slice(0, 80);
}
