// An output name that is a symbolic link owned by another user (not root) is refused: someone
// who can write that directory planted it to make us write elsewhere, over a file or onto a
// device. This is the kernel's protected_symlinks rule, applied in every directory, not only
// sticky ones (docs/security.md). Links of our own or root's (/dev/disk/by-id/...) are
// followed as before. The check comes before the open: it stops links planted in advance.
import { lstatSync } from "node:fs";
import { Errno, NativeError } from "../native/errors.ts";

export function refuseForeignSymlink(path: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return; // missing: created anew
  }
  const me = process.geteuid?.() ?? 0;
  if (st.isSymbolicLink() && st.uid !== me && st.uid !== 0)
    throw new NativeError(Errno.ELOOP!, { op: "open", path }, "a symbolic link owned by another user; refusing to write through it");
}
