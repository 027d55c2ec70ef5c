// Every filesystem parser salvage knows, tried in this order on each volume.
import type { FilesystemParser } from "./types.ts";
import { exfatParser } from "./exfat/parser.ts";
import { fatParser } from "./fat/parser.ts";
import { ntfsParser } from "./ntfs/parser.ts";

export const filesystemParsers: FilesystemParser[] = [];
filesystemParsers.push(fatParser);
filesystemParsers.push(ntfsParser);
filesystemParsers.push(exfatParser);
