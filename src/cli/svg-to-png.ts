// Turning an SVG picture into a PNG with rsvg-convert (Debian librsvg2-bin), when present.
// rsvg-convert writes to its standard output, which is our own exclusively created file:
// it never opens a path itself, so nothing planted under a temporary name can be followed.
import { commitExclusive, createExclusive, discardExclusive } from "../util/exclusive-file.ts";
import { systemTool } from "../util/system-tool.ts";
import { UserError } from "./exit.ts";

/** Whether a converter exists on this machine (looked up in PATH's absolute directories). */
export function pngConverter(): string | null {
  return systemTool("rsvg-convert");
}

/** Convert an SVG picture (its text) to pngPath (written under a fresh temporary name, then renamed). */
export function svgToPng(svg: string, pngPath: string): void {
  const rsvg = pngConverter();
  if (!rsvg) throw new UserError("a PNG needs rsvg-convert (Debian package librsvg2-bin); --svg FILE writes the picture without it");
  const temp = createExclusive(pngPath);
  const p = Bun.spawnSync([rsvg], { stdin: Buffer.from(svg), stdout: temp.fd, stderr: "pipe" });
  if (p.exitCode !== 0) {
    discardExclusive(temp);
    throw new UserError(`rsvg-convert failed: ${p.stderr.toString().trim()}`);
  }
  commitExclusive(temp, pngPath);
}
