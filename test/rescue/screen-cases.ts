// The terminal screen of a rescue, GNU ddrescue 1.27's and ours, under `script` (a real
// pseudo-terminal) on a 4 MiB image with two bad areas (ddrescue's -H test map, our
// --test-mode): a fresh run, a resumed one, and one interrupted with SIGINT. What is kept is
// what does not depend on timing: the greeting, where each label of the status block sits
// (its colon's column), the final figures of a complete run, and the closing line.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Recipe } from "../helpers/oracle.ts";
import { randomData } from "./helpers.ts";

export const screenKeys = ["fresh", "resumed", "interrupted"] as const;
type Key = (typeof screenKeys)[number];

export interface ScreenShape {
  /** The greeting's second line and, when resuming, the initial-status lines as label lists. */
  greeting: string[];
  /** Each line of the last status block: "label@colon-column" items. */
  block: string[];
  /** label → value in the last status block, for the figures that do not depend on timing. */
  figures: Record<string, string>;
  /** The lines after the last status block, trimmed, without the phase message ("Finished"...). */
  closing: string[];
}

const testMap = "# test map\n0x0 + 1\n0x0 0x100000 +\n0x100000 0x8000 -\n0x108000 0x200000 +\n0x308000 0x800 -\n0x308800 0xF7800 +\n";
/** A map of an earlier run that rescued the first 2 MiB. */
const partialMap = "# partial\n0x200000 ? 1\n0x0 0x100000 +\n0x100000 0x8000 -\n0x108000 0xF8000 +\n0x200000 0x200000 ?\n";

const timeless = ["non-tried", "rescued", "pct rescued", "non-trimmed", "non-scraped", "bad-sector", "bad areas"];

/** The status block's labels and where their colons sit, from a raw terminal transcript. */
export function shapeOf(raw: string): ScreenShape {
  // Split on the cursor movements, keep what the terminal would show last.
  const text = raw.replace(/\x1b\[[0-9;]*[JK]/g, "");
  const blocks = text.split(/\x1b\[\d*A/);
  const lastBlock = blocks[blocks.length - 1]!.split(/\r?\n/).map((l) => l.replace(/^\r+/, "").replace(/\r.*$/, ""));
  const head = blocks[0]!.split(/\r?\n/).map((l) => l.replace(/\r/g, ""));
  const statusLines = lastBlock.filter((l) => /^ *[a-z][a-z -]*[a-z]: /.test(l));
  const block = statusLines.map((l) => [...l.matchAll(/([a-z][a-z -]*[a-z]):/g)].map((m) => `${m[1]!.trim()}@${m.index! + m[0].length - 1}`).join(" "));
  const figures: Record<string, string> = {};
  for (const l of statusLines) for (const m of l.matchAll(/([a-z][a-z -]*[a-z]): +([^,]+)/g)) if (timeless.includes(m[1]!.trim())) figures[m[1]!.trim()] = m[2]!.trim();
  const greeting = head.slice(1).filter((l) => (l && !/\.\.\. /.test(l) && !/^ *[a-z][a-z -]*[a-z]: +[0-9n]/.test(l)) || /^rescued: .*, tried: /.test(l)).map((l) => l.replace(/[0-9]+ ?[kMG]?B/g, "N").trim());
  const after = lastBlock.slice(lastBlock.findIndex((l) => l.includes("time since last successful read:")) + 1);
  const closing = after.map((l) => l.trim()).filter((l) => l && !/\.\.\. /.test(l));
  return { greeting, block, figures, closing };
}

/** Runs `command` (a shell command line, in a fresh directory holding in.bin and the maps) under a pty. */
export function screenOf(command: (dir: string) => string, key: Key): ScreenShape {
  const dir = mkdtempSync(join(tmpdir(), "salvage-screen-"));
  try {
    writeFileSync(join(dir, "in.bin"), randomData(4 << 20, 77));
    writeFileSync(join(dir, "test.map"), testMap);
    if (key === "resumed") {
      writeFileSync(join(dir, "map"), partialMap);
      writeFileSync(join(dir, "out.bin"), randomData(4 << 20, 77).subarray(0, 2 << 20));
    }
    const run = command(dir);
    // SIGINT from a shell: the job runs in the background with job control on (set -m), so
    // it keeps SIGINT, which a plain `&` would ignore.
    const line = key === "interrupted" ? `set -m; ${run} & p=$!; sleep 1.5; kill -INT $p; wait $p` : run;
    const r = Bun.spawnSync(["script", "-qec", `sh -c '${line}'`, "/dev/null"], { cwd: dir, timeout: 60_000, stdin: "ignore" });
    return shapeOf(r.stdout.toString());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ddrescue's command line for a case (slowed to 1 MB/s when it is to be interrupted). */
export function ddrescueLine(tool: string, key: Key): string {
  return `${tool} ${key === "interrupted" ? "-Z 1M " : ""}-H test.map in.bin out.bin map`;
}

export const screenRecipe: Recipe<ScreenShape> = {
  name: "ddrescue/screen",
  tools: ["ddrescue"],
  keys: [...screenKeys],
  run: (key, t) => screenOf(() => ddrescueLine(t.ddrescue!, key as Key), key as Key),
};
