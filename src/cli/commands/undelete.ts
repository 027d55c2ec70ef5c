// `salvage undelete FS OUTDIR`: deleted text from the free fragments, reassembled into
// whole files (src/carve/reassemble.ts), plus the names of deleted files still present in
// directory blocks; report.txt and report.json. `--ascii`/`--classic` is the 1990 method
// exactly: getfree and textpieces in one pass, runs of 7-bit text fragments as pieces.
import { defineCommand } from "citty";
import { join } from "node:path";
import { ByteWriter } from "../../carve/byte-writer.ts";
import { FragmentIndex, FragmentIndexBuilder } from "../../carve/fragment-index.ts";
import { PieceFiles } from "../../carve/piece-files.ts";
import { PieceAssembler } from "../../carve/pieces.ts";
import { pieceLine } from "../../carve/report.ts";
import { SegmentedRecovery } from "../../carve/segmented-recovery.ts";
import { entryLines, type RecoveredEntry } from "../../carve/recovered-files.ts";
import type { TextEncoding } from "../../carve/text-class.ts";
import { TextRunCollector } from "../../carve/text-runs.ts";
import { findDeletedNames, type DeletedName } from "../../ffs/directories.ts";
import { walkFreeAsync } from "../../ffs/free-walk.ts";
import { FreeDirectoryScanner } from "../../ffs/free-directories.ts";
import { BoundedList } from "../../util/bounded-list.ts";
import { ExitCode, UserError } from "../exit.ts";
import { walkProgress } from "../progress/walk-progress.ts";
import { log } from "../log.ts";
import { StopSignals } from "../stop-signals.ts";
import { guardOutputs } from "../write-guard.ts";
import { asUserError, openFs, parseSelection, progressLine, selectionArgs } from "./ffs.ts";
import { MAX_WARNINGS, statsLine } from "./getfree.ts";
import { parseSeparator } from "./textpieces.ts";
import { INTERRUPTED_MARK, prepareOutDir, REPORT, REPORT_JSON, reportHeader } from "./undelete-outdir.ts";

const iso = (t: number) => new Date(t * 1000).toISOString().replace(".000Z", "Z");

export function nameLine(n: DeletedName): string {
  const path = `${n.directory === "/" ? "" : n.directory}/${n.name}`;
  const ino = n.inode === 0 ? "inode number cleared" : `inode ${n.inode}`;
  const now = n.now
    ? n.now.allocated
      ? ", inode now reused"
      : `, inode free (uid ${n.now.uid}, gid ${n.now.gid}, mtime ${iso(n.now.mtime)}, ctime ${iso(n.now.ctime)})`
    : "";
  return `${path}: ${ino}${now}, entry at byte ${n.byte}`;
}

/**
 * Write `lines` (of `count`) into the report while it stays under `budget` bytes, then one
 * line saying how many were left out: what a crafted image makes us print is bounded by its size.
 */
function writeBounded(report: ByteWriter, lines: Iterable<string>, count: number, budget: number): void {
  let written = 0;
  for (const line of lines) {
    if (report.written >= budget) {
      report.writeText(`# ${count - written} more not listed: the report is limited to the size of the filesystem image\n`);
      return;
    }
    report.writeText(line + "\n");
    written++;
  }
}

export default defineCommand({
  meta: { name: "undelete", description: "Recover deleted text files from an FFS/UFS filesystem into OUTDIR, with report.txt and report.json" },
  args: {
    fs: { type: "positional", description: "filesystem image or device", required: true },
    outdir: { type: "positional", description: "output directory (created; must be empty, or hold an interrupted run of the same FS)", required: true },
    encoding: { type: "string", description: "what counts as text: utf8 (default; includes ASCII), latin1 (8-bit legacy text), ascii" },
    ascii: { type: "boolean", description: "the exact 1990 method: runs of 7-bit text fragments as pieces, no reassembly (same as --classic)" },
    classic: { type: "boolean", description: "the exact 1990 method (with --utf8: UTF-8 text too)" },
    utf8: { type: "boolean", description: "with --classic: count valid UTF-8 as text" },
    separator: { type: "string", description: "with --classic: string written between joined fragments (default none)" },
    ...selectionArgs,
  },
  async run({ args }) {
    const { groups, since } = parseSelection(args, 2);
    const classic = !!args.ascii || !!args.classic;
    const encoding = parseEncoding(args.encoding, classic);
    if (!classic && args.separator !== undefined) throw new UserError("--separator needs --classic (reassembled files are written byte-exact)");
    const outdir = String(args.outdir);
    // Writing into the filesystem being undeleted overwrites the free fragments we are after.
    guardOutputs([{ role: "filesystem", path: String(args.fs) }], [{ role: "output directory", path: outdir }]);
    const { source, sb, base } = openFs(String(args.fs), args);
    try {
      prepareOutDir(outdir, String(args.fs));
    } catch (e) {
      source.close();
      throw asUserError(e);
    }
    const fsize = sb.raw.fsize;
    const builder = new FragmentIndexBuilder();
    const index = new FragmentIndex(fsize, base, builder.runs);
    // Before any output file exists: a signal from now on stops cleanly (temporary files
    // removed), never by the default action that would leave them behind.
    const stop = new StopSignals();
    const report = new ByteWriter(join(outdir, REPORT), 1 << 16);
    const mode = classic ? `classic ${args.utf8 ? "utf8" : "ascii"}` : `reassembled, ${encoding}`;
    report.writeText(`${reportHeader(String(args.fs))} ${sb.variant} ${sb.bigEndian ? "big" : "little"}-endian, fragment size ${fsize}, block size ${sb.raw.bsize}; ${mode}\n# text pieces\n`);
    const files = new PieceFiles(join(outdir, "piece"), (info, path) => report.writeText(pieceLine(path, info, index) + "\n"), true);
    const assembler = new PieceAssembler(files, { utf8: !!args.utf8, separator: parseSeparator(args.separator) });
    const geo = { fsize, frag: sb.raw.frag, size: sb.size, bigEndian: sb.bigEndian };
    const collector = new TextRunCollector(geo, encoding);
    const readBuf = new Uint8Array(256 * fsize);
    const read = (frag: number, count: number) => {
      const n = source.read(readBuf, count * fsize, base + frag * fsize);
      if (n < count * fsize) readBuf.fill(0, Math.max(0, n), count * fsize);
      return readBuf.subarray(0, count * fsize);
    };
    let written = 0;
    const segments = new SegmentedRecovery(
      collector,
      { geo, fpg: sb.raw.fpg, read, zeroAfter: (f) => f < sb.size && read(f, 1).every((b) => b === 0) },
      { prefix: join(outdir, "piece"), fsize, base, encoding, onFile: () => progress.text(`${++written} files written`) },
    );
    const progress = walkProgress("undelete");
    const problems = new BoundedList<string>(1000);
    const freeDirs = new FreeDirectoryScanner(sb, base);
    let stream = 0;
    let walked = 0;
    const walkStart = performance.now();
    const pieceCount = () => assembler.completeCount + assembler.partialCount;
    try {
      // Classic: uniform fragments are kept, a fragment of NULs right after text marks where
      // a file ended. Reassembly: they are skipped (a gap ends a run; its zeros are checked later).
      const stats = await walkFreeAsync(source, sb, {
        fragments(buf, count, frag) {
          walked += count * fsize;
          freeDirs.scan(buf, count, frag);
          if (!classic) {
            collector.push(buf, count, frag);
            return segments.maybeFlush();
          }
          builder.add(frag, count);
          for (let i = 0; i < count; i++) assembler.push(buf.subarray(i * fsize, (i + 1) * fsize), stream++);
        },
        unreadable(frag, count, errno) {
          assembler.interrupt();
          collector.interrupt();
          problems.push(`fragments ${frag}..${frag + count - 1}: ${errno === 0 ? "past the end of the image" : `unreadable (errno ${errno}), skipped`}`);
        },
        groupError(message) {
          assembler.interrupt();
          collector.interrupt();
          problems.push(`${message}; group skipped`);
        },
      }, {
        groups, since, base, keepUniform: classic,
        shouldStop: () => stop.requested,
        onGroup: (cg, done, total) => progress.update(done / total, walked, `cylinder group ${cg.index}`),
      });
      if (stats.stopped) {
        progress.done();
        // Finished pieces stay (they are complete); the one in progress is dropped. The
        // report lists what was written and says, on its last line, that the run was cut
        // short: a rerun into OUTDIR recognises it and starts again.
        files.abandon();
        files.commit();
        for (const e of segments.entries) for (const line of entryLines(e, fsize, base)) report.writeText(line + "\n");
        for (const p of problems.items) report.writeText(`# problem: ${p}\n`);
        report.writeText(`# ${statsLine(stats, fsize)}\n`);
        report.writeText(`${INTERRUPTED_MARK} by ${stop.signal}: incomplete (deleted names not searched); run the same command again to redo it\n`);
        report.finish();
        log.info(statsLine(stats, fsize));
        const kept = classic ? `${pieceCount()} finished pieces kept in ${outdir}` : `${segments.entries.length} reassembled files kept in ${outdir} (the run's last segment was not reassembled)`;
        return stop.interrupted(`${kept}; the same command again replaces ${outdir} with a full run`);
      }
      assembler.finish();
      // The pieces are on disk and named before the report that lists them (written last).
      files.commit();
      const t0 = performance.now();
      log.debug(`undelete: walk took ${Math.round(t0 - walkStart)} ms`);
      const phase = (what: string) => log.debug(`undelete: ${what} done at ${Math.round(performance.now() - t0)} ms after the walk`);
      let entries: RecoveredEntry[] = [];
      if (!classic) {
        progress.text("reassembling text runs");
        segments.flush(true);
        entries = segments.entries;
        for (const e of entries) for (const line of entryLines(e, fsize, base)) report.writeText(line + "\n");
      }
      phase("writing");
      progress.text("scanning directories for deleted names");
      const dirs = findDeletedNames(source, sb, base);
      progress.done();
      for (const p of dirs.problems) problems.push(p);
      phase("directory scan");
      // What the report lists is bounded by the image (at least 1 MiB): a crafted directory
      // tree (one block listed a thousand times, a parent cycle) cannot inflate it.
      const budget = Math.max(1 << 20, source.size ?? 0);
      const more = dirs.namesDropped ? `, ${dirs.namesDropped} more not kept` : "";
      report.writeText(`# deleted names (${dirs.names.length} found in ${dirs.directories} directories${more})\n`);
      writeBounded(report, dirs.names.map(nameLine), dirs.names.length, budget);
      report.writeText(`# names in free directory blocks (${freeDirs.names.length}${freeDirs.truncated ? ", list truncated" : ""})\n`);
      const freeNameLine = (n: (typeof freeDirs.names)[number]) => `${n.name}: inode ${n.inode}, entry at byte ${n.byte}`;
      writeBounded(report, freeDirs.names.map(freeNameLine), freeDirs.names.length, 2 * budget);
      report.writeText(`# problems (${problems.total})\n`);
      for (const p of problems.items) report.writeText(p + "\n");
      if (problems.dropped) report.writeText(`# ${problems.dropped} more problems not listed\n`);
      report.writeText(`# ${statsLine(stats, fsize)}\n`);
      if (!classic) {
        const json = new ByteWriter(join(outdir, REPORT_JSON), 1 << 16);
        json.writeText(JSON.stringify({
          filesystem: String(args.fs), variant: sb.variant, bigEndian: sb.bigEndian, fragmentSize: fsize, blockSize: sb.raw.bsize, encoding,
          files: entries,
          deletedNames: dirs.names.slice(0, 100_000).map((n) => ({ line: nameLine(n), inode: n.inode })),
          freeDirectoryNames: freeDirs.names.map((n) => ({ name: n.name, inode: n.inode, byte: n.byte })),
          problems: problems.items,
        }, null, 1) + "\n");
        json.finish();
      }
      report.finish();
      for (const p of problems.items.slice(0, MAX_WARNINGS)) log.warn(p);
      if (problems.total > MAX_WARNINGS) log.warn(`${problems.total - MAX_WARNINGS} more problems: see ${join(outdir, REPORT)}`);
      log.info(statsLine(stats, fsize));
      const complete = classic ? assembler.completeCount : entries.filter((e) => e.complete).length;
      const partial = classic ? assembler.partialCount : entries.length - complete;
      log.info(`${complete} complete and ${partial} partial text ${classic ? "pieces" : "files"}, ${dirs.names.length} deleted names in directories, ${freeDirs.names.length} in free directory blocks; see ${join(outdir, REPORT)}`);
      return problems.total ? ExitCode.incomplete : ExitCode.ok;
    } catch (e) {
      // Finished pieces are kept, as when interrupted (unless they cannot be made durable).
      files.abandon();
      try {
        files.commit();
      } catch {
        files.discard();
      }
      report.abandon();
      throw asUserError(e);
    } finally {
      stop.dispose();
      source.close();
    }
  },
});

function parseEncoding(text: unknown, classic: boolean): TextEncoding {
  if (text === undefined) return classic ? "ascii" : "utf8";
  const e = String(text).toLowerCase().replace(/^utf-8$/, "utf8").replace(/^(iso-?8859-1|latin-1)$/, "latin1");
  if (e !== "utf8" && e !== "latin1" && e !== "ascii") throw new UserError(`--encoding: '${String(text)}' is not one of utf8, latin1, ascii`);
  if (classic) throw new UserError("--encoding is for reassembly; --classic takes --utf8 or nothing (7-bit ASCII)");
  return e;
}
