// Where the preload library is on disk. In the compiled binary it is embedded and must be
// written to a real file first: the dynamic loader of the child process needs a path.
import embeddedSim from "../../build/host/libsalvage-sim.so" with { type: "file" };
import { extractEmbedded, isEmbedded } from "../native/extract.ts";

let cached: string | undefined;

export function preloadLibrary(): string {
  const override = process.env.SALVAGE_SIM_LIB;
  if (override) return override;
  if (!cached) cached = isEmbedded(embeddedSim) ? extractEmbedded(embeddedSim, "libsalvage-sim.so", (p) => p).path : embeddedSim;
  return cached;
}
