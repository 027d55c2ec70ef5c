// Exit codes of salvage's own subcommands (docs/exit-codes.md). The safecopy-compatible
// mode keeps safecopy's codes instead.
import { NativeError } from "../native/errors.ts";
import { ExtractError } from "../native/embedded-library.ts";
import { PrivateDirError } from "../util/private-dir.ts";

export const ExitCode = {
  ok: 0,
  /** The job ran to the end but some data could not be read or recovered. */
  incomplete: 1,
  /** Bad usage, bad input, or an error that stopped the job. */
  fatal: 2,
  /** A bug in salvage: it should never happen. */
  internal: 3,
  interrupted: 130,
} as const;

/** An error the user can fix: shown as one line, never with a stack trace. */
export class UserError extends Error {
  override name = "UserError";
  constructor(message: string, readonly exitCode: number = ExitCode.fatal) {
    super(message);
  }
}

/** The one line and exit code a thrown value ends a command with (internal: a bug). */
export function describeError(e: unknown): { message: string; exitCode: number; internal: boolean } {
  if (e instanceof UserError || e instanceof NativeError || e instanceof ExtractError || e instanceof PrivateDirError) {
    return { message: firstLine(e.message), exitCode: e instanceof UserError ? e.exitCode : ExitCode.fatal, internal: false };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return { message: `internal error: ${firstLine(msg)}`, exitCode: ExitCode.internal, internal: true };
}

/** Turn any thrown value into one line on stderr and an exit code. */
export function reportError(e: unknown, program = "salvage"): number {
  const d = describeError(e);
  if (d.internal && process.env.SALVAGE_DEBUG) console.error(e);
  process.stderr.write(`${program}: ${d.message}${d.internal ? " (set SALVAGE_DEBUG=1 for details)" : ""}\n`);
  return d.exitCode;
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? "";
}
