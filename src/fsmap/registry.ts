// Every filesystem parser salvage knows, tried in this order on each volume.
import type { FilesystemParser } from "./types.ts";
import { extParser } from "./ext/index.ts";

export const filesystemParsers: FilesystemParser[] = [extParser];
