// The checks every writing command makes before it opens an output: an output must not be
// (or reach) an input, two outputs must not be one file, and nothing in use (mounted,
// swap) is written. Each refusal is one line and exit 2 (docs/security.md).
import { realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { StorageGraph } from "../io/storage-identity.ts";
import { statPath } from "../native/stat.ts";
import { UserError } from "./exit.ts";

/** Where a path leads, for paths that may not exist yet (their directory must). */
export function canonical(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

/** Two names for one file: the same path once resolved, or the same existing node. */
export function samePlace(a: string, b: string, graph = new StorageGraph()): boolean {
  if (canonical(a) === canonical(b)) return true;
  const na = graph.node(a);
  const nb = graph.node(b);
  return !!na && !!nb && na.key === nb.key;
}

export interface Named {
  /** "destination", "mapfile", "--index", ... */
  role: string;
  path: string;
}

export interface GuardOptions {
  /** Refuse an output that is mounted or swap (devices, and files backing a loop device). Default true. */
  inUse?: boolean;
  /**
   * What an existing output may be. "file": outputs written to a temporary name and renamed
   * into place, where a rename over /dev/null or a device node would replace the node (as
   * root). "stream": files, or character devices and pipes written in place, never a block
   * device. "any" (default): rescue destinations; devices need their own --force check.
   */
  outputs?: "file" | "stream" | "any";
}

function kindProblem(out: Named, kind: GuardOptions["outputs"]): string | null {
  if (!kind || kind === "any") return null;
  let st;
  try {
    st = statPath(out.path);
  } catch {
    return null; // a new file
  }
  if (kind === "file" && st.kind !== "regular") return `the ${out.role} '${out.path}' exists and is not a regular file (${st.kind}): refusing to replace it`;
  if (kind === "stream" && (st.kind === "block" || st.kind === "directory")) return `the ${out.role} '${out.path}' is a ${st.kind === "block" ? "block device" : "directory"}: refusing to write onto it (give a file name)`;
  return null;
}

/**
 * Refuse before anything is opened for writing: an output that is, or reaches, an input;
 * two outputs that are one file; an output in use.
 */
export function guardOutputs(inputs: readonly Named[], outputs: readonly Named[], o: GuardOptions = {}): void {
  const graph = new StorageGraph();
  for (const out of outputs) {
    for (const input of inputs) {
      if (samePlace(input.path, out.path, graph)) throw new UserError(`the ${out.role} '${out.path}' and the ${input.role} '${input.path}' are the same file: refusing to overwrite it`);
      const why = graph.overlap(input.path, out.path);
      if (why) throw new UserError(`writing the ${out.role} '${out.path}' would overwrite the ${input.role} '${input.path}' (${why}): refusing`);
    }
    const problem = kindProblem(out, o.outputs);
    if (problem) throw new UserError(problem);
  }
  for (let i = 0; i < outputs.length; i++) {
    for (let j = i + 1; j < outputs.length; j++) {
      const [a, b] = [outputs[i]!, outputs[j]!];
      if (samePlace(a.path, b.path, graph)) throw new UserError(`the ${a.role} and the ${b.role} are the same file '${b.path}': give them different names`);
    }
  }
  if (o.inUse === false) return;
  for (const out of outputs) {
    const why = graph.inUse(out.path);
    if (why) throw new UserError(`the ${out.role} '${out.path}' is in use (${why}): refusing to write onto it`);
  }
}
