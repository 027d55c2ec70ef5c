// `salvage textpieces PREFIX`: split a getfree stream into numbered text pieces, the
// 1990 tool's behaviour and report, with --utf8 and disk offsets from a getfree index.
import { defineCommand } from "citty";
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { FragmentIndex } from "../../carve/fragment-index.ts";
import { PieceFiles, pieceName } from "../../carve/piece-files.ts";
import { PieceAssembler } from "../../carve/pieces.ts";
import { pieceLine } from "../../carve/report.ts";
import { entryLines, writeRecovered } from "../../carve/recovered-files.ts";
import { reassembleStream } from "../../carve/stream-reassembly.ts";
import { ExitCode, UserError } from "../exit.ts";
import { log } from "../log.ts";
import { StopSignals } from "../stop-signals.ts";
import { canonical, guardOutputs, type Named } from "../write-guard.ts";
import { walkProgress } from "../progress/walk-progress.ts";
import { asUserError } from "./ffs.ts";

/** The directory the pieces go to must exist: else one line naming it (not a temporary file name). */
export function checkPieceDirectory(prefix: string): void {
  const dir = dirname(prefix);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new UserError(`${dir}: no such directory for the piece files (create it first)`);
  }
  if (!isDir) throw new UserError(`${dir} is not a directory: the piece files cannot be written there`);
}

export function parseSeparator(text: string | undefined): Uint8Array {
  // Backslash escapes so a shell user can ask for "\n--- fragment ---\n".
  const s = (text ?? "").replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\\\/g, "\\");
  return new TextEncoder().encode(s);
}

function loadIndex(path: string): FragmentIndex {
  try {
    return FragmentIndex.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UserError(`--index ${path}: ${(e as Error).message}`);
  }
}

/** The input (or the index) must not be a file a piece will be written to. */
function checkInputsAgainstPieces(prefix: string, input: unknown, index: unknown): void {
  const inputs: Named[] = [];
  if (input !== undefined) inputs.push({ role: "input", path: String(input) });
  if (index !== undefined) inputs.push({ role: "index", path: String(index) });
  guardOutputs(inputs, [{ role: "piece files", path: pieceName(prefix, 1, true) }], { outputs: "stream" });
  const pieces = canonical(prefix);
  for (const i of inputs) {
    const c = canonical(i.path);
    if (c.startsWith(pieces) && /^\d{4,}p?$/.test(c.slice(pieces.length)))
      throw new UserError(`the ${i.role} '${i.path}' is named like a piece file of prefix '${prefix}' and could be overwritten: choose another prefix`);
  }
}

export default defineCommand({
  meta: { name: "textpieces", description: "Cut a getfree stream into numbered text pieces (PREFIX0001, partial ones PREFIX0002p) with a report" },
  args: {
    prefix: { type: "positional", description: "name prefix of the piece files (may include a directory)", required: true },
    input: { type: "string", description: "getfree output to read (default: stdin)" },
    fsize: { type: "string", description: "fragment size in bytes (default: from --index)" },
    index: { type: "string", description: "getfree --index file: fragment size and disk offsets for the report" },
    utf8: { type: "boolean", description: "count valid UTF-8 as text, not only 7-bit ASCII" },
    separator: { type: "string", description: "string written between joined fragments (\\n escapes allowed; default none)" },
    reassemble: { type: "boolean", description: "reassemble whole files as undelete does (needs --index and --input FILE; UTF-8 text)" },
    "block-size": { type: "string", description: "with --reassemble: the filesystem's block size in bytes (default 8 fragments)" },
  },
  async run({ args }) {
    checkInputsAgainstPieces(String(args.prefix), args.input, args.index);
    checkPieceDirectory(String(args.prefix));
    const index = args.index !== undefined ? loadIndex(String(args.index)) : null;
    const fsize = args.fsize !== undefined ? Number(args.fsize) : index?.fsize;
    if (fsize === undefined) throw new UserError("the fragment size is needed: give --fsize N or --index FILE");
    if (!Number.isSafeInteger(fsize) || fsize < 512 || fsize > 65536 || (fsize & (fsize - 1)) !== 0)
      throw new UserError(`--fsize: ${args.fsize} is not a power of two from 512 to 65536`);
    if (index && index.fsize !== fsize) throw new UserError(`--fsize ${fsize} disagrees with the index (${index.fsize})`);
    if (args.reassemble) return reassembled(String(args.prefix), args, index);
    let fd: number;
    try {
      fd = args.input !== undefined ? openSync(String(args.input), "r") : 0;
    } catch (e) {
      throw new UserError(`${args.input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const files = new PieceFiles(String(args.prefix), (info, path) => process.stdout.write(pieceLine(path, info, index) + "\n"));
    const assembler = new PieceAssembler(files, { utf8: !!args.utf8, separator: parseSeparator(args.separator) });
    // Stream the input through one buffer of whole fragments; memory is independent of its size.
    const buf = new Uint8Array(Math.max(1, Math.floor((1 << 20) / fsize)) * fsize);
    const inputSize = fstatSync(fd).isFile() ? fstatSync(fd).size : 0;
    const progress = walkProgress("textpieces");
    let readBytes = 0;
    let have = 0;
    let n = 0;
    const stop = new StopSignals();
    let lastYield = performance.now();
    try {
      for (;;) {
        const got = readSync(fd, buf, have, buf.length - have, null);
        // A turn for the signal handlers every 50 ms, and at the end of the input: Ctrl-C
        // on `getfree | textpieces` also ends our input, and that must not look like its end.
        readBytes += got;
        if (got === 0 || performance.now() - lastYield >= 50) {
          progress.update(inputSize > 0 ? Math.min(1, readBytes / inputSize) : null, readBytes, `${assembler.completeCount + assembler.partialCount} pieces`);
          await new Promise<void>((r) => setImmediate(r));
          lastYield = performance.now();
        }
        if (stop.requested) {
          progress.done();
          // The piece in progress is not finished: drop it; finished pieces stay.
          files.abandon();
          log.info(`${n} fragments read: ${assembler.completeCount} complete and ${assembler.partialCount} partial pieces written`);
          return stop.interrupted("the piece in progress was not written");
        }
        have += got;
        const whole = got === 0 ? have : have - (have % fsize);
        for (let at = 0; at < whole; at += fsize) assembler.push(buf.subarray(at, Math.min(at + fsize, whole)), n++);
        if (got === 0) break;
        buf.copyWithin(0, whole, have);
        have -= whole;
      }
      assembler.finish();
      progress.done();
    } catch (e) {
      progress.done();
      files.abandon();
      throw asUserError(e);
    } finally {
      stop.dispose();
      if (fd !== 0) closeSync(fd);
    }
    log.info(`${n} fragments read: ${assembler.completeCount} complete and ${assembler.partialCount} partial pieces`);
    if (index && n !== index.runs.reduce((s, r) => s + r.count, 0)) {
      log.warn(`the input has ${n} fragments but the index describes a different number: disk offsets may be wrong`);
      return ExitCode.incomplete;
    }
    return ExitCode.ok;
  },
});

/** `--reassemble`: undelete's reassembly on a saved stream and its index; one report line per file on stdout. */
function reassembled(prefix: string, args: { input?: unknown; "block-size"?: unknown; utf8?: unknown; separator?: unknown }, index: FragmentIndex | null): number {
  if (!index || args.input === undefined) throw new UserError("--reassemble needs --index FILE and --input FILE (it reads the stream more than once)");
  if (args.separator !== undefined) throw new UserError("--separator is for the classic pieces, not --reassemble");
  const bsize = args["block-size"] !== undefined ? Number(args["block-size"]) : 8 * index.fsize;
  if (!Number.isSafeInteger(bsize) || bsize < index.fsize || bsize % index.fsize !== 0 || bsize / index.fsize > 8)
    throw new UserError(`--block-size: ${String(args["block-size"])} is not 1 to 8 fragments of ${index.fsize} bytes`);
  let fd: number;
  try {
    fd = openSync(String(args.input), "r");
  } catch (e) {
    throw new UserError(`${args.input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const r = reassembleStream(fd, index, bsize / index.fsize, "utf8");
  try {
    const entries = writeRecovered(r.files, { prefix, fsize: index.fsize, base: index.base, encoding: "utf8", read: r.read });
    for (const e of entries) for (const line of entryLines(e, index.fsize, index.base)) process.stdout.write(line + "\n");
    log.info(`${entries.filter((e) => e.complete).length} complete and ${entries.filter((e) => !e.complete).length} partial files reassembled`);
    return ExitCode.ok;
  } catch (e) {
    throw asUserError(e);
  } finally {
    r.close();
  }
}
