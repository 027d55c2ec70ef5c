// salvage: one binary, several applets. `process.argv0` is the name it was invoked by
// (a `safecopy` symlink selects the compatible mode); user arguments start at argv[2]
// both under `bun src/main.ts` and in the compiled binary.
import { basename } from "node:path";

// citty colours its help even into pipes; colours are for people at a terminal.
if (!process.stdout.isTTY && !process.env.FORCE_COLOR) process.env.NO_COLOR = "1";

// A reader that went away (`salvage rescue --json ... | head -1`) is not an error of ours:
// the rest of the output is dropped and the job goes on to its own exit code. Bun reports
// the closed pipe as an 'error' event, which would otherwise end the process with a trace.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") return;
  process.stderr.write(`salvage: cannot write to standard output: ${e.code ?? e.message}\n`);
  process.exitCode = 2;
});

const { run } = await import("./cli/run.ts");
const { reportError } = await import("./cli/exit.ts");
try {
  process.exitCode = await run(basename(process.argv0), process.argv.slice(2));
} catch (e) {
  process.exitCode = reportError(e);
}
