// Turning an SVG picture into a PNG with rsvg-convert (Debian librsvg2-bin), when present.
import { randomBytes } from "node:crypto";
import { renameSync, rmSync } from "node:fs";
import { UserError } from "./exit.ts";

/** Whether a converter exists on this machine. */
export function pngConverter(): string | null {
  return Bun.which("rsvg-convert");
}

/** Convert svgPath to pngPath (written under a fresh temporary name, then renamed). */
export function svgToPng(svgPath: string, pngPath: string): void {
  const rsvg = pngConverter();
  if (!rsvg) throw new UserError("a PNG needs rsvg-convert (Debian package librsvg2-bin); the SVG was written");
  const temp = `${pngPath}.${randomBytes(6).toString("hex")}.tmp`;
  const p = Bun.spawnSync([rsvg, "-o", temp, svgPath], { stdin: "ignore" });
  if (p.exitCode !== 0) {
    rmSync(temp, { force: true });
    throw new UserError(`rsvg-convert failed: ${p.stderr.toString().trim()}`);
  }
  renameSync(temp, pngPath);
}
