// Entry point of the safecopy-compatible mode (`salvage copy ...` and the `safecopy` name).
// safecopy's syntax needs its own parser (src/cli/safecopy/args.ts), not citty.
import { reportError } from "./exit.ts";
import { runSafecopy } from "./safecopy/runner.ts";

export async function safecopyMain(argv: string[], program: string): Promise<number> {
  try {
    return await runSafecopy(argv, program);
  } catch (e) {
    return reportError(e, program);
  }
}
