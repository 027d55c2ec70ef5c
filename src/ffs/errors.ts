// One error type for everything wrong with a filesystem image, so the CLI can turn it
// into one clear line ("not an FFS filesystem", "cylinder group 3: bad magic") and exit 2.
export class FfsError extends Error {
  override name = "FfsError";
}
