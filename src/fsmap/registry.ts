// Every filesystem parser salvage knows, tried in this order on each volume (each detect()
// checks its own magic numbers, so the order only matters for speed).
import type { FilesystemParser } from "./types.ts";
import { exfatParser } from "./exfat/parser.ts";
import { extParser } from "./ext/index.ts";
import { fatParser } from "./fat/parser.ts";
import { ntfsParser } from "./ntfs/parser.ts";
import { ufsParser } from "./ufs.ts";

export const filesystemParsers: FilesystemParser[] = [ufsParser, extParser, ntfsParser, exfatParser, fatParser];
