// Command line of the benchmark scripts: `--name value` options and `--flag`s from a fixed
// list (anything else ends the run with the list of options), and the salvage binary to
// measure (`--salvage PATH`, default dist/salvage, which must exist).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export interface BenchArgs {
  given: Map<string, string>;
  opt(name: string, dflt: string): string;
  salvage: string;
}

export function benchArgs(script: string, known: readonly string[], flags: readonly string[], argv = process.argv.slice(2)): BenchArgs {
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.replace(/^--/, "");
    if (!argv[i]!.startsWith("--") || !known.includes(name)) {
      console.error(`${script}: unknown argument '${argv[i]}' (options: ${known.map((k) => `--${k}`).join(" ")})`);
      process.exit(2);
    }
    given.set(name, flags.includes(name) ? "1" : (argv[++i] ?? ""));
  }
  const opt = (name: string, dflt: string) => given.get(name) ?? dflt;
  const salvage = resolve(opt("salvage", join(resolve(import.meta.dir, ".."), "dist/salvage")));
  if (!existsSync(salvage)) {
    console.error(`${script}: ${salvage} is missing (bun scripts/build.ts, or --salvage PATH)`);
    process.exit(2);
  }
  return { given, opt, salvage };
}
