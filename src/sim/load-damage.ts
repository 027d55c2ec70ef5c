// Read a damage source of any supported kind; the format is detected from the content.
import { readFileSync } from "node:fs";
import { parseDamageFile } from "./damage-file.ts";
import { looksLikeDdrescueMap, parseDdrescueMap } from "./ddrescue-map.ts";
import { DamageError, type DamageModel } from "./model.ts";
import { looksLikeSafecopyCfg, parseSafecopyCfg } from "./safecopy-cfg.ts";

export type DamageFormat = "salvage" | "safecopy-cfg" | "ddrescue-map";

export function detectFormat(text: string): DamageFormat {
  if (looksLikeSafecopyCfg(text)) return "safecopy-cfg";
  if (looksLikeDdrescueMap(text)) return "ddrescue-map";
  return "salvage";
}

export function parseDamage(text: string, file: string, format: DamageFormat = detectFormat(text)): DamageModel {
  if (format === "safecopy-cfg") return parseSafecopyCfg(text, file);
  if (format === "ddrescue-map") return parseDdrescueMap(text, file);
  return parseDamageFile(text, file);
}

export function loadDamage(path: string, format?: DamageFormat): DamageModel {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new DamageError(`cannot read damage file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseDamage(text, path, format);
}
