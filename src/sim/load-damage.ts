// Read a damage source of any supported kind; the format is detected from the content.
import { readFileSync, statSync } from "node:fs";
import { parseDamageFile } from "./damage-file.ts";
import { looksLikeDdrescueMap, parseDdrescueMap } from "./ddrescue-map.ts";
import { checkDamageText, DamageError, type DamageModel } from "./model.ts";
import { looksLikeSafecopyCfg, parseSafecopyCfg } from "./safecopy-cfg.ts";

export type DamageFormat = "salvage" | "safecopy-cfg" | "ddrescue-map";

export function detectFormat(text: string): DamageFormat {
  if (looksLikeSafecopyCfg(text)) return "safecopy-cfg";
  if (looksLikeDdrescueMap(text)) return "ddrescue-map";
  return "salvage";
}

export function parseDamage(text: string, file: string, format?: DamageFormat, maxLines?: number): DamageModel {
  checkDamageText(text, file, maxLines);
  format ??= detectFormat(text);
  if (format === "safecopy-cfg") return parseSafecopyCfg(text, file);
  if (format === "ddrescue-map") return parseDdrescueMap(text, file);
  return parseDamageFile(text, file);
}

/** A million ranges of a ddrescue mapfile take ~40 MB; anything much larger is not a damage source. */
export const MAX_DAMAGE_FILE = 64 << 20;

export function loadDamage(path: string, format?: DamageFormat, maxLines?: number): DamageModel {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_DAMAGE_FILE) throw new DamageError(`damage file ${path} is ${size} bytes: at most ${MAX_DAMAGE_FILE} (64 MiB)`);
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof DamageError) throw e;
    throw new DamageError(`cannot read damage file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseDamage(text, path, format, maxLines);
}
