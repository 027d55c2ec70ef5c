// Messages go to stderr, always: stdout may carry data (getfree) or safecopy's symbols.
// One style for every message, the one errors already use (`salvage: ...`, as GNU tools
// write theirs): consola's own icons ("ℹ", "⚠") beside "salvage: " lines read as two programs.
// Text is escaped by the callers (names from disks), as before.
import { createConsola, type ConsolaReporter } from "consola";

const prefixes: Record<string, string> = { warn: "warning: ", error: "", fatal: "", debug: "debug: ", trace: "debug: " };

const oneStyle: ConsolaReporter = {
  log(entry) {
    const text = entry.args.map((a) => (typeof a === "string" ? a : a instanceof Error ? a.message : String(a))).join(" ");
    process.stderr.write(`salvage: ${prefixes[entry.type] ?? ""}${text}\n`);
  },
};

export const log = createConsola({
  level: process.env.SALVAGE_DEBUG ? 4 : 3,
  reporters: [oneStyle],
});
