// SIGINT/SIGTERM/SIGHUP as a stop request: while installed, the signals do not kill the
// process; a long job polls `requested` between reads (it must give the event loop a
// turn for the handler to run, bun-toolchain.md §4), cleans up and exits 130.
import { ExitCode } from "./exit.ts";

const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export class StopSignals {
  /** The first stop signal received, or null. */
  signal: (typeof signals)[number] | null = null;
  private readonly handlers = signals.map((sig) => [sig, () => void (this.signal ??= sig)] as const);

  constructor() {
    for (const [sig, h] of this.handlers) process.on(sig, h);
  }

  get requested(): boolean {
    return this.signal !== null;
  }

  /** The one stderr line of an interrupted job, and its exit code. */
  interrupted(what: string): number {
    process.stderr.write(`salvage: interrupted by ${this.signal ?? "a signal"}: ${what}\n`);
    return ExitCode.interrupted;
  }

  dispose(): void {
    for (const [sig, h] of this.handlers) process.off(sig, h);
  }
}
