// Every filesystem parser salvage knows, tried in this order on each volume. Each detect()
// checks its own magic numbers; UFS comes first at its usual superblock places (a stale
// signature that an older filesystem left in a UFS's boot area must not win), and at its
// rare piggy-back place last (see ufs.ts).
import type { FilesystemParser } from "./types.ts";
import { exfatParser } from "./exfat/parser.ts";
import { extParser } from "./ext/index.ts";
import { fatParser } from "./fat/parser.ts";
import { ntfsParser } from "./ntfs/parser.ts";
import { ufsParser, ufsPiggyParser } from "./ufs.ts";

export const filesystemParsers: FilesystemParser[] = [ufsParser, extParser, ntfsParser, exfatParser, fatParser, ufsPiggyParser];
