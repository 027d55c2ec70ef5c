// ddrescue -p: reserve the image's blocks before the first read, so a destination too
// small for the rescue is found at the start, not hours later. There is no fallocate in
// the C shim, so util-linux's fallocate(1) (always on Debian) does it, like `sync --data`
// for saves (map-saver.ts): found in PATH's absolute directories only (system-tool.ts).
import { systemTool } from "../../util/system-tool.ts";
import { escapeText } from "../../util/escape.ts";
import { UserError } from "../exit.ts";

/** Allocate [offset, offset + length) of the existing file `path`; its data are kept. */
export function preallocate(path: string, offset: number, length: number): void {
  if (length <= 0) return;
  const tool = systemTool("fallocate");
  if (!tool) throw new UserError("--preallocate needs fallocate(1) (Debian package util-linux) in PATH");
  const p = Bun.spawnSync([tool, "-o", String(offset), "-l", String(length), "--", path], { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  if (p.exitCode !== 0) {
    const why = p.stderr.toString().trim().split("\n").pop()?.replace(/^fallocate: /, "") ?? `exit ${p.exitCode}`;
    throw new UserError(`--preallocate: cannot reserve ${length} bytes at ${offset} in '${path}': ${escapeText(why)}`);
  }
}
