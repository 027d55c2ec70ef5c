// ext2/3/4 as a FilesystemParser: detection by the superblock magic, then the used-space map.
import type { FilesystemParser } from "../types.ts";
import { looksLikeExt } from "./superblock.ts";
import { extUsedSpace } from "./used-space.ts";

export const extParser: FilesystemParser = {
  name: "ext",
  detect: looksLikeExt,
  usedSpace: extUsedSpace,
};
