// The usage lines of simulate's tools, in one small module: `simulate TOOL --help` shows
// them without loading the tools, and the tools quote them in their errors.
export const makeUsage =
  "salvage simulate make IMAGE --size 64MiB --pattern NAME [--param KEY=VALUE,..] [--on-error short|fail] [--timing fail=0.2s,..] --seed N [--sector-size 512] [--damage FILE] [--sparse]";

export const scoreUsage = "salvage simulate score IMAGE DAMAGE RESCUED [--marker TEXT] [--json]";

export const curveUsage =
  "salvage simulate score DAMAGE RECORD... [--labels A,B,..] [--budget 60s] [--domain DOMAIN.map] [--svg OUT] [--png OUT] [--points] [--json]";

export const fromTimingUsage = "salvage simulate from-timing TIMING BADBLOCKS --block-size N [--size S] [--slow-factor 10] [-o OUT]";
