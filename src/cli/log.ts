// Messages go to stderr, always: stdout may carry data (getfree) or safecopy's symbols.
import { createConsola } from "consola";

export const log = createConsola({
  level: process.env.SALVAGE_DEBUG ? 4 : 3,
  stdout: process.stderr,
  stderr: process.stderr,
});
