// Mode bits of the files salvage creates. Images, maps, bad-block lists, recovered pieces and
// reports hold the contents of someone's disk, so they are private by default (0600); the
// umask can only take bits away. `salvage --mode OCTAL COMMAND ...` widens it for one run
// (docs/security.md, "Privacy").

let current = 0o600;

/** Mode for a new file that holds disk contents (before the umask). */
export function outputMode(): number {
  return current;
}

/** Mode for a new directory of such files: search permission wherever read permission is given. */
export function outputDirMode(): number {
  return current | ((current & 0o444) >> 2);
}

export function setOutputMode(mode: number): void {
  current = mode;
}

/** "640" or "0640" -> 0o640; null when it is not an octal mode of at most 0777. */
export function parseMode(text: string): number | null {
  if (!/^0?[0-7]{3}$/.test(text)) return null;
  return parseInt(text, 8);
}
