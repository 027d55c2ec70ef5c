// Every filesystem parser salvage knows, tried in this order on each volume.
import type { FilesystemParser } from "./types.ts";
import { ufsParser } from "./ufs.ts";

export const filesystemParsers: FilesystemParser[] = [ufsParser];
