// Entry point of the safecopy-compatible mode (`salvage copy ...` and the `safecopy` name).
// safecopy's syntax needs its own parser (src/cli/safecopy/args.ts), not citty. The -L
// low-level layer (CD raw reads, drive resets, floppy twaddle) comes from src/devices and
// is handed to the runner through the seam in src/io/low-level-device.ts.
import { CliLowLevel } from "../devices/cli-low-level.ts";
import { reportError } from "./exit.ts";
import { parseArgs, safecopyInteger } from "./safecopy/args.ts";
import { processIo, runSafecopy } from "./safecopy/runner.ts";

export async function safecopyMain(argv: string[], program: string): Promise<number> {
  try {
    const io = processIo();
    const debugBits = safecopyInteger(parseArgs(argv).options.get("--debug"));
    io.lowLevel = new CliLowLevel((text) => io.err(text), debugBits);
    // Invoked as `safecopy`: the usage names the program as typed (argv[0]), like safecopy's.
    return await runSafecopy(argv, program === "safecopy" ? process.argv0 : program, io);
  } catch (e) {
    return reportError(e, program);
  }
}
