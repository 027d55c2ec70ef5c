// The one place that dlopens the shim. Loading is lazy, so commands that need no
// native calls (--version, --help) start fast and work even if the shim cannot load.
import { dlopen } from "bun:ffi";
// The build script redirects this import to the target's own build of the shim
// (see scripts/build.ts); in development it is the host build.
import embeddedShim from "../../build/host/libsalvage.so" with { type: "file" };
import { ioSymbols } from "./symbols.ts";
import { ffsSymbols } from "./ffs-symbols.ts";
import { deviceSymbols } from "./device-symbols.ts";
import { isEmbedded, loadEmbedded } from "./embedded-library.ts";

const symbols = { ...ioSymbols, ...deviceSymbols, ...ffsSymbols };
type Shim = ReturnType<typeof dlopen<typeof symbols>>["symbols"];

let loaded: Shim | undefined;

/** The shim's functions. Throws ExtractError with one clear line if it cannot be loaded. */
export function shim(): Shim {
  if (!loaded) loaded = open();
  return loaded;
}

function open(): Shim {
  // In development the shim is build/host/libsalvage.so of this checkout. In the compiled
  // binary it is embedded, and loaded only from a copy this process made (embedded-library.ts).
  // There is deliberately no environment override: salvage runs as root.
  if (!isEmbedded(embeddedShim)) return dlopen(embeddedShim, symbols).symbols;
  return loadEmbedded(embeddedShim, "libsalvage.so", (p) => dlopen(p, symbols).symbols);
}

/** Path of the shim as embedded (for diagnostics). */
export const shimLocation = embeddedShim;
