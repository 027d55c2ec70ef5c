// Subcommands, loaded lazily so `salvage X` pays only for X.
// Each area adds its one line here; the command itself lives in its own file.
import type { CommandDef } from "citty";

type Lazy = () => Promise<CommandDef<any>>;

export const subCommands: Record<string, Lazy> = {
  info: () => import("./info.ts").then((m) => m.default),
  simulate: () => import("./simulate.ts").then((m) => m.default),
  ffs: () => import("./ffs.ts").then((m) => m.default),
  getfree: () => import("./getfree.ts").then((m) => m.default),
  textpieces: () => import("./textpieces.ts").then((m) => m.default),
  undelete: () => import("./undelete.ts").then((m) => m.default),
  cdraw: () => import("./cdraw.ts").then((m) => m.default),
  rescue: () => import("./rescue.ts").then((m) => m.default),
  map: () => import("./map.ts").then((m) => m.default),
};
