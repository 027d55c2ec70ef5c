// Helper programs salvage starts on its own (sync, rsvg-convert) are looked up only in the
// absolute directories of PATH. An empty or relative entry ("", ".", "bin") would make root
// run whatever another user left in the current directory under that name. A directory
// that another user could rearrange (owned by them, or writable by others without the
// sticky bit, itself or any directory above it) is skipped too, and so is a program file
// that is not root's or ours, or that others may write: a PATH that reaches /home/alice/bin
// (sudo -E, a careless profile) must not make root run what alice put there.
import { realpathSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { unsafeParentReason } from "./private-dir.ts";

/** Full path of `name` in PATH's absolute directories that no other user controls, or null. */
export function systemTool(name: string, path = process.env.PATH ?? "/usr/bin:/bin"): string | null {
  const uid = process.geteuid?.() ?? 0;
  for (const dir of path.split(":")) {
    if (!dir.startsWith("/") || unsafeParentReason(dir, uid) !== null) continue;
    const found = Bun.which(name, { PATH: dir });
    if (found && trustedProgram(found, uid)) return found;
  }
  return null;
}

/** The file itself (links resolved): root's or ours, writable by nobody else, in a directory nobody else controls. */
function trustedProgram(file: string, uid: number): boolean {
  try {
    const real = realpathSync(file);
    const st = statSync(real);
    if (st.uid !== 0 && st.uid !== uid) return false;
    if ((st.mode & 0o022) !== 0) return false;
    return unsafeParentReason(dirname(real), uid) === null;
  } catch {
    return false;
  }
}
