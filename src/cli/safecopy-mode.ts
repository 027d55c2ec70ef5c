// Entry point of the safecopy-compatible mode (`salvage copy ...` and the `safecopy` name).
// safecopy's syntax needs its own parser (src/cli/safecopy/args.ts), not citty.
import { reportError } from "./exit.ts";
import { processIo, runSafecopy } from "./safecopy/runner.ts";
import { CliLowLevel, debugBitsFromArgv } from "../devices/cli-low-level.ts";
import { writeSync } from "node:fs";

export async function safecopyMain(argv: string[], program: string): Promise<number> {
  try {
    // -L: CD-ROM/DVD/floppy actions below the block layer (src/devices).
    const lowLevel = new CliLowLevel((t) => void writeSync(2, t), debugBitsFromArgv(argv));
    return await runSafecopy(argv, program, { ...processIo(), lowLevel });
  } catch (e) {
    return reportError(e, program);
  }
}
