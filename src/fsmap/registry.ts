// Every filesystem parser salvage knows, tried in this order on each volume.
import type { FilesystemParser } from "./types.ts";
import { extParser } from "./ext/index.ts";
import { ufsParser } from "./ufs.ts";

export const filesystemParsers: FilesystemParser[] = [ufsParser, extParser];
