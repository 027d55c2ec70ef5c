// An output path that goes through a symbolic link owned by another user (not root) is
// refused: someone who can write that directory planted it to make us write elsewhere, over a
// file, onto a device, or into a directory such as /etc/cron.d. This is the kernel's
// protected_symlinks rule, applied in every directory (not only sticky ones) and to every
// component of the path, not only the last (docs/security.md). Links of our own or root's
// (/dev/disk/by-id/...) are followed as before. The check comes before the open: it stops
// links planted in advance.
import { lstatSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Errno, NativeError } from "../native/errors.ts";

/** The first component of `path` that is another user's symbolic link, or null. */
export function foreignSymlinkIn(path: string, me = process.geteuid?.() ?? 0): string | null {
  for (let p = resolve(path); ; p = dirname(p)) {
    try {
      const st = lstatSync(p);
      if (st.isSymbolicLink() && st.uid !== me && st.uid !== 0) return p;
    } catch {
      /* missing: created anew */
    }
    if (p === dirname(p)) return null;
  }
}

export function refuseForeignSymlink(path: string): void {
  const link = foreignSymlinkIn(path);
  if (link === null) return;
  const what = link === resolve(path) ? "a symbolic link" : `reached through ${link}, a symbolic link`;
  throw new NativeError(Errno.ELOOP!, { op: "open", path }, `${what} owned by another user; refusing to write through it`);
}
