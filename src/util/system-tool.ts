// Helper programs salvage starts on its own (sync, rsvg-convert) are looked up only in the
// absolute directories of PATH. An empty or relative entry ("", ".", "bin") would make root
// run whatever another user left in the current directory under that name.

/** Full path of `name` in PATH's absolute directories, or null. */
export function systemTool(name: string, path = process.env.PATH ?? "/usr/bin:/bin"): string | null {
  const absolute = path.split(":").filter((d) => d.startsWith("/")).join(":");
  return absolute ? Bun.which(name, { PATH: absolute }) : null;
}
