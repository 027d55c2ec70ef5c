// Every filesystem parser salvage knows, tried in this order on each volume.
import type { FilesystemParser } from "./types.ts";

export const filesystemParsers: FilesystemParser[] = [];
