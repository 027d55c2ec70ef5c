// What a test needs beyond Node, npm and gcc, in one place:
//  - peer(name): the path of an optional tool (Debian safecopy, ddrescue, sleuthkit, makefs,
//    QEMU, cross compilers, strace...), or null. SALVAGE_TEST_NO_PEERS=1 hides every tool
//    listed in `optionalTools`, so a machine that has them can still run the suite as a fresh
//    one would (.ci/run does that first).
//  - skipBecause(reason): the condition for test.skipIf/describe.skipIf; a skip always has a
//    one-line reason, which `npm test` (scripts/test.ts) groups in its summary.
//  - usesRecording(label): notes that a file's tests compare with a committed recording, so
//    the summary can show that those tests ran.
// When SALVAGE_TEST_LOG is unset (a plain `bun test`), reasons are printed instead.
import { appendFileSync } from "node:fs";

/** Tools the suite can use but a fresh machine lacks, with the Debian package that has each. */
export const optionalTools: Record<string, string> = {
  safecopy: "safecopy",
  ddrescue: "gddrescue",
  ddrescuelog: "gddrescue",
  blkls: "sleuthkit",
  fsstat: "sleuthkit",
  fls: "sleuthkit",
  istat: "sleuthkit",
  makefs: "makefs",
  strace: "strace",
  "rsvg-convert": "librsvg2-bin",
  "qemu-system-x86_64": "qemu-system-x86",
  busybox: "busybox-static",
  genisoimage: "genisoimage",
  "mkfs.fat": "dosfstools",
  mcopy: "mtools",
  cpio: "cpio",
  depmod: "kmod",
  "aarch64-linux-gnu-gcc": "gcc-aarch64-linux-gnu",
  "qemu-aarch64": "qemu-user",
  "musl-gcc": "musl-tools",
};

export const peersHidden = !!process.env.SALVAGE_TEST_NO_PEERS;
const searchPath = `${process.env.PATH ?? ""}:/usr/sbin:/sbin:/usr/bin:/bin`;

/** The tool's absolute path, or null when it is missing (or hidden by SALVAGE_TEST_NO_PEERS). */
export function peer(name: string): string | null {
  if (peersHidden && name in optionalTools) return null;
  return Bun.which(name, { PATH: searchPath }) ?? null;
}

/** Why the tools cannot be used ("safecopy not installed (Debian safecopy)"), or undefined. */
export function missing(...names: string[]): string | undefined {
  const absent = names.filter((n) => !peer(n));
  if (absent.length === 0) return undefined;
  const what = absent.map((n) => (optionalTools[n] ? `${n} (Debian ${optionalTools[n]})` : n)).join(", ");
  return peersHidden && absent.every((n) => n in optionalTools) ? `${what}: peers hidden (SALVAGE_TEST_NO_PEERS)` : `${what} not installed`;
}

type Entry = { kind: "skip" | "inside" | "recording" | "live"; file: string; line: number; text: string };

/** The test file (*.test.ts) and line that called, from the stack; else the first caller outside test/helpers. */
function caller(): { file: string; line: number } {
  const frames: Array<{ file: string; line: number }> = [];
  for (const l of (new Error().stack ?? "").split("\n").slice(1)) {
    const m = /\(?((?:\/|file:\/\/)[^():]+):(\d+):\d+\)?$/.exec(l.trim());
    if (m) frames.push({ file: m[1]!.replace(/^file:\/\//, ""), line: Number(m[2]) });
  }
  return frames.find((f) => f.file.endsWith(".test.ts")) ?? frames.find((f) => !f.file.includes("/test/helpers/")) ?? { file: "?", line: 0 };
}

const logged = new Set<string>();

function log(kind: Entry["kind"], text: string): void {
  const out = process.env.SALVAGE_TEST_LOG;
  const at = caller();
  // Recordings and live peers are noted once per test file; skips once per line.
  const key = `${kind}\0${text}\0${at.file}\0${kind === "skip" || kind === "inside" ? at.line : ""}`;
  if (logged.has(key)) return;
  logged.add(key);
  if (out) appendFileSync(out, JSON.stringify({ kind, ...at, text } satisfies Entry) + "\n");
  else if (kind === "skip" || kind === "inside") console.warn(`skipped (${at.file.replace(/.*\/test\//, "test/")}:${at.line}): ${text}`);
}

/**
 * `describe.skipIf(skipBecause(reason))(...)`: true (skip) when there is a reason, which is
 * recorded for the summary. Call it on the line of the describe/test it decides, so the
 * summary can tell reasons in the same file apart.
 */
export function skipBecause(reason: string | null | undefined | false): boolean {
  if (!reason) return false;
  log("skip", reason);
  return true;
}

/** Inside a running test: true when there is a reason (the caller returns), recorded for the summary. */
export function skippedInside(reason: string | null | undefined | false): boolean {
  if (!reason) return false;
  log("inside", reason);
  return true;
}

/** Notes that this file's tests compare with a committed recording or fixture set. */
export function usesRecording(label: string): void {
  log("recording", label);
}

/** Notes that a peer tool was run live next to its recording. */
export function usesLivePeer(name: string): void {
  log("live", name);
}
