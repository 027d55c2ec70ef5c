// A fresh directory only we can use: created by mkdtemp (random name, mode 0700) inside a
// parent that no other user can rearrange. A parent writable by others without the sticky bit
// (or owned by another user), or below such a directory, is skipped: there someone could
// rename our directory away and put theirs in its place between mkdtemp and our next use of
// the path. The parent's real path is used, so no symbolic link can be re-pointed later.
import { lstatSync, mkdtempSync, realpathSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

/** Candidate parents, in order: $TMPDIR, then the usual temporary directories. */
export function tempParents(env: Record<string, string | undefined> = process.env): string[] {
  const dirs = [env.TMPDIR, "/tmp", "/var/tmp", "/dev/shm", "/run"].filter((d): d is string => !!d);
  return [...new Set(dirs)];
}

/**
 * Why `dir` is unfit as the parent of a private directory, or null when it is fit. Every
 * directory on its real path (symbolic links resolved) is checked, up to the root: any of them
 * that someone else could rearrange would let them swap our directory for theirs.
 */
export function unsafeParentReason(dir: string, uid = process.geteuid?.() ?? 0): string | null {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? "cannot resolve";
  }
  for (let d = real; ; d = dirname(d)) {
    const why = unfitDirectory(d, uid);
    if (why) return d === real ? why : `${d} is ${why}`;
    if (d === dirname(d)) return null;
  }
}

function unfitDirectory(d: string, uid: number): string | null {
  let st;
  try {
    st = statSync(d);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? "cannot stat";
  }
  if (!st.isDirectory()) return "not a directory";
  if (st.uid !== 0 && st.uid !== uid) return "owned by another user";
  const sticky = (st.mode & 0o1000) !== 0;
  if ((st.mode & 0o022) !== 0 && !sticky) return "writable by others without the sticky bit";
  return null;
}

/** Create `<parent>/<prefix>XXXXXX` (0700) in the first fit parent; throws with the reasons. */
export function makePrivateDir(prefix: string, parents = tempParents()): string {
  const tried: string[] = [];
  const uid = process.geteuid?.() ?? 0;
  for (const parent of parents) {
    const unfit = unsafeParentReason(parent, uid);
    if (unfit) {
      tried.push(`${parent} (${unfit})`);
      continue;
    }
    try {
      const dir = mkdtempSync(join(realpathSync(parent), prefix));
      const st = lstatSync(dir);
      if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) throw new Error("not private after creation");
      return dir;
    } catch (e) {
      tried.push(`${parent} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  throw new PrivateDirError(`no place for a private temporary directory: ${tried.join(", ")}; set TMPDIR to a directory only you can write`);
}

export class PrivateDirError extends Error {
  override name = "PrivateDirError";
}
