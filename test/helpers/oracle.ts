// Recorded oracles: what a real tool produced, committed under test/fixtures/oracles/ by
// scripts/record-oracles.ts (which runs only the real tools). A differential test compares
// salvage with the recording always, and with the live tool too when it is installed.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { usesRecording } from "./needs.ts";

export const fixturesDir = resolve(import.meta.dir, "../fixtures");
export const oraclesDir = join(fixturesDir, "oracles");

export interface Provenance {
  /** The tool and its version as the package manager reports it, e.g. "safecopy 1.7-7 (Debian)". */
  recordedWith: string;
  recordedOn: string;
  date: string;
  /** How to record again. */
  script: string;
}

export interface Recording<T> {
  provenance: Provenance;
  cases: Record<string, T>;
}

/** test/fixtures/oracles/NAME.json (NAME like "safecopy/differential"); notes its use for the summary. */
export function loadOracle<T>(name: string): Recording<T> {
  const path = join(oraclesDir, `${name}.json`);
  if (!existsSync(path)) throw new Error(`${path} is missing: record it with 'bun scripts/record-oracles.ts ${name}' (needs the real tool)`);
  const rec = JSON.parse(readFileSync(path, "utf8")) as Recording<T>;
  usesRecording(`${name} (${rec.provenance.recordedWith})`);
  return rec;
}

/** The recorded case, or a clear failure naming the script that records it. */
export function recorded<T>(rec: Recording<T>, name: string, key: string): T {
  const v = rec.cases[key];
  if (v === undefined) throw new Error(`no recording for '${key}' in ${name}: run 'bun scripts/record-oracles.ts ${name}' where the real tool is installed`);
  return v;
}

export const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");

/** A file as a recording keeps it: short text verbatim, anything else as size and hash. */
export function digest(data: Uint8Array): string {
  const text = Buffer.from(data).toString("latin1");
  if (data.length <= 2048 && /^[\t\n\r\x20-\x7e]*$/.test(text)) return text;
  return `${data.length} bytes, sha256 ${sha256(data)}`;
}

/** Every file in `dir` (sorted, minus `except`), digested. */
export function digestDir(dir: string, except: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) {
    if (except.includes(f) || !statSync(join(dir, f)).isFile()) continue;
    out[f] = digest(readFileSync(join(dir, f)));
  }
  return out;
}

/**
 * How one recording is made: `keys` name the cases, `run` produces a case's outcome with the
 * given tools (name → path). scripts/record-oracles.ts calls it with the real tools only; the
 * test calls the same code with salvage standing in for the tool, and with the live tool.
 */
export interface Recipe<T> {
  name: string;
  /** The real tools it records (looked up with peer()); the first one's version is noted. */
  tools: string[];
  keys: string[];
  /** Recording needs root (loop devices, mounts). */
  needsRoot?: boolean;
  run(key: string, tools: Record<string, string>): T | Promise<T>;
}
