// `salvage map -D x.map` and the other ddrescuelog option letters: parsed, then run as a
// map job. Loaded only when used (the common commands never pay for it).
import { reportError } from "../exit.ts";

export function isDdrescuelogSyntax(args: readonly string[]): boolean {
  const first = args[0] ?? "";
  return first.startsWith("-") && first !== "-" && !["-h", "--help"].includes(first);
}

export async function ddrescuelogMain(args: string[]): Promise<number> {
  try {
    const { parseDdrescuelogArgs } = await import("./ddrescuelog-args.ts");
    const { runMapJob } = await import("./job.ts");
    return runMapJob(parseDdrescuelogArgs(args));
  } catch (e) {
    return reportError(e, "salvage map");
  }
}
