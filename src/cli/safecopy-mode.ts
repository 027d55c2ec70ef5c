// Entry point of the safecopy-compatible mode (`salvage copy ...` and the `safecopy` name).
// The compatible parser and engine arrive with the safecopy issue; until then say so plainly.
export async function safecopyMain(_argv: string[], program: string): Promise<number> {
  process.stderr.write(`${program}: the safecopy-compatible mode is not available in this build yet\n`);
  return 2;
}
