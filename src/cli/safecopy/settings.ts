// From parsed arguments to safecopy's settings, printing the header lines on the way in
// the binary's order (reference §2). Source probing is injected, so this stays testable.
import { parseArgs, safecopyInteger, looksLikeInteger } from "./args.ts";

const MAX_BLOCK = 104857600;
const DEFAULT_FS_BLOCK = 4096;

export interface SourceProbe {
  /** stat(): size and st_blksize, or null when stat fails (missing file, "debug"). */
  stat(path: string): { size: number; blksize: number } | null;
  /** lseek(SEEK_END) on a fresh descriptor; <= 0 when unknown. */
  seekSize(path: string): number;
  /** -L > 0: the low-level layer may replace size and block size (CD-ROMs). */
  lowLevel(path: string, size: number, blksize: number): { size: number; blksize: number };
}

export interface Settings {
  source: string;
  dest: string;
  debug: number;
  lowLevel: number;
  sync: boolean;
  forceOpen: boolean;
  fileSize: number;
  blockSize: number;
  skipSize: number;
  resolution: number;
  retries: number;
  headMoves: number;
  includeBlockSize: number;
  includeFile: string | null;
  /** -c N given with N > 0: old destination size N·i (else 0: ask the destination). */
  continueSize: number;
  excludeBlockSize: number;
  excludeFile: string | null;
  badblocksFile: string | null;
  seekScript: string | null;
  timingFile: string | null;
  marker: string | null;
  startOffset: number;
  /** Bytes, -1 when unlimited. */
  length: number;
}

export type SettingsOutcome = { kind: "help" } | { kind: "error"; exitCode: number } | { kind: "run"; settings: Settings };

interface Printer {
  out(text: string): void;
  err(text: string): void;
}

/** safecopy's parseoption(): bytes, `N%` of the file, `N*` units, else the default string. */
export function parseSizeOption(option: string | null, unit: number, fileSize: number, fallback: string): number {
  if (option === null) return parseSizeOption(fallback, unit, fileSize, fallback);
  if (looksLikeInteger(option)) return safecopyInteger(option);
  if (option.length < 2) return parseSizeOption(fallback, unit, fileSize, fallback);
  const head = option.slice(0, -1);
  const tail = option.at(-1);
  if ((tail === "%" || tail === "*") && looksLikeInteger(head)) {
    const n = safecopyInteger(head);
    if (tail === "*") return unit * n;
    const bytes = fileSize > 0 ? Math.trunc((fileSize * n) / 100) : unit * n;
    const units = Math.trunc(bytes / unit);
    return (units > 0 ? units : 1) * unit;
  }
  return parseSizeOption(fallback, unit, fileSize, fallback);
}

export function resolveSettings(argv: readonly string[], probe: SourceProbe, p: Printer): SettingsOutcome {
  const { options, positionals } = parseArgs(argv);
  const given = (o: string) => options.has(o);
  const value = (o: string) => options.get(o) ?? null;
  const int = (o: string) => safecopyInteger(value(o));
  const debug = given("--debug") ? int("--debug") : 0;
  if (given("--help") || given("-h") || positionals.length !== 2) return { kind: "help" };
  const [source, dest] = positionals as [string, string];

  // Stage presets, applied in order 1, 2, 3; individual options override them.
  let skipDef = "16*", resDef = "1*", retriesDef = 3, headDef = 1, lowDef = 1;
  let markerDef: string | null = null, includeDef: string | null = null, outDef: string | null = null;
  const stage = given("--stage") ? int("--stage") : 0;
  if (given("--stage1") || stage === 1) {
    [skipDef, resDef, retriesDef, headDef, lowDef, markerDef, outDef] = ["10%", "10%", 1, 0, 2, "BaDbLoCk", "stage1.badblocks"];
  }
  if (given("--stage2") || stage === 2) {
    [skipDef, resDef, retriesDef, headDef, lowDef, includeDef, outDef] = ["128*", "1*", 1, 0, 2, "stage1.badblocks", "stage2.badblocks"];
  }
  if (given("--stage3") || stage === 3) {
    [skipDef, resDef, retriesDef, headDef, lowDef, includeDef, outDef] = ["1*", "1*", 4, 1, 2, "stage2.badblocks", "stage3.badblocks"];
  }

  const lowLevel = Math.min(2, Math.max(0, given("-L") ? int("-L") : lowDef));
  p.out(`Low level device calls enabled mode: ${lowLevel}\n`);
  const sync = given("--sync");
  if (sync) p.out("Using synchronized IO on source. (O_DIRECT)\n");
  const forceOpen = given("--forceopen");
  if (forceOpen) p.out("Forced reopening of source file even if device is temporarily gone.\n");

  let fileSize = 0;
  let fsBlock = DEFAULT_FS_BLOCK;
  const st = probe.stat(source);
  if (st) {
    fileSize = st.size;
    if (st.blksize) {
      p.out(`Reported hw blocksize: ${st.blksize}\n`);
      fsBlock = st.blksize;
    }
  }
  if (lowLevel > 0) {
    ({ size: fileSize, blksize: fsBlock } = probe.lowLevel(source, fileSize, fsBlock));
    p.out(`Reported low level blocksize: ${fsBlock}\n`);
  }
  if (fileSize !== 0) p.out(`File size: ${fileSize}\n`);
  else {
    p.err("Filesize not reported by stat(), trying seek().\n");
    fileSize = probe.seekSize(source);
    if (fileSize <= 0) {
      fileSize = 0;
      p.err("Unable to determine input file size.\n");
    } else p.out(`File size: ${fileSize}\n`);
  }

  let blockSize = parseSizeOption(given("-b") ? value("-b") : "1*", fsBlock, fileSize, "1*");
  if (blockSize < 1) blockSize = fsBlock;
  blockSize = Math.min(blockSize, MAX_BLOCK);
  p.out(`Blocksize: ${blockSize}\n`);
  let skipSize = parseSizeOption(given("-f") ? value("-f") : skipDef, blockSize, fileSize, skipDef);
  skipSize = Math.min(Math.max(skipSize, blockSize), MAX_BLOCK);
  p.out(`Fault skip blocksize: ${skipSize}\n`);
  let resolution = parseSizeOption(given("-r") ? value("-r") : resDef, blockSize, fileSize, resDef);
  resolution = Math.min(Math.max(resolution, 1), skipSize);
  p.out(`Resolution: ${resolution}\n`);
  const retries = Math.max(1, given("-R") ? int("-R") : retriesDef);
  p.out(`Min read attempts: ${retries}\n`);
  const headMoves = Math.max(0, given("-Z") ? int("-Z") : headDef);
  p.out(`Head moves on read error: ${headMoves}\n`);

  const includeBlockSize = given("-i") ? int("-i") : blockSize;
  if (includeBlockSize < 1 || includeBlockSize > MAX_BLOCK) {
    p.err("Error: Invalid blocksize given for bad block include file!\n");
    return { kind: "error", exitCode: 2 };
  }
  let continueSize = 0;
  if (given("-c")) {
    includeDef = "/dev/null";
    if (int("-c") > 0) continueSize = int("-c") * includeBlockSize;
  }
  const includeFile = given("-I") ? value("-I") : includeDef;
  if (includeFile !== null) p.out(`Incremental mode file: ${includeFile}\nIncremental mode blocksize: ${includeBlockSize}\n`);

  const excludeBlockSize = given("-x") ? int("-x") : blockSize;
  if (excludeBlockSize < 1 || excludeBlockSize > MAX_BLOCK) {
    p.err("Error: Invalid blocksize given for bad block exclude file!\n");
    return { kind: "error", exitCode: 2 };
  }
  const excludeFile = given("-X") ? value("-X") : null;
  if (excludeFile !== null) p.out(`Exclusion mode file: ${excludeFile}\nExclusion mode blocksize: ${excludeBlockSize}\n`);

  const badblocksFile = given("-o") ? value("-o") : outDef;
  if (badblocksFile !== null) p.out(`Badblocks output: ${badblocksFile}\n`);
  const seekScript = given("-S") ? value("-S") : null;
  if (given("-S")) p.out(`Seek script (fallback): ${seekScript ?? "(null)"}\n`);
  const timingFile = given("-T") ? value("-T") : null;
  if (given("-T")) p.out(`Write sector timing information to file: ${timingFile ?? "(null)"}\n`);
  const marker = given("-M") ? (value("-M") ?? "") : markerDef;
  if (marker !== null) p.out(`Marker string: ${marker}\n`);

  let start = given("-s") ? int("-s") : 0;
  if (start < 1) start = 0;
  p.out(`Starting block: ${start}\n`);
  let limit = given("-l") ? int("-l") : 0;
  if (limit < 1) limit = -1;
  if (limit >= 0) p.out(`Size limit (blocks): ${limit}\n`);
  const startOffset = start * blockSize;
  const length = limit * blockSize;
  if (fileSize === 0 && length > 0) fileSize = startOffset + length;

  return {
    kind: "run",
    settings: {
      source, dest, debug, lowLevel, sync, forceOpen, fileSize, blockSize, skipSize, resolution, retries, headMoves,
      includeBlockSize, includeFile, continueSize, excludeBlockSize, excludeFile, badblocksFile, seekScript, timingFile,
      marker, startOffset, length: length < 0 ? -1 : length,
    },
  };
}
