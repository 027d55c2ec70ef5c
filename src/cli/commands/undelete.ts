// `salvage undelete FS OUTDIR`: getfree and textpieces in one pass (no intermediate
// file), plus the names of deleted files still present in directory blocks.
import { defineCommand } from "citty";
import { join } from "node:path";
import { ByteWriter } from "../../carve/byte-writer.ts";
import { FragmentIndex, FragmentIndexBuilder } from "../../carve/fragment-index.ts";
import { PieceFiles } from "../../carve/piece-files.ts";
import { PieceAssembler } from "../../carve/pieces.ts";
import { pieceLine } from "../../carve/report.ts";
import { findDeletedNames, type DeletedName } from "../../ffs/directories.ts";
import { walkFreeAsync } from "../../ffs/free-walk.ts";
import { FreeDirectoryScanner } from "../../ffs/free-directories.ts";
import { BoundedList } from "../../util/bounded-list.ts";
import { ExitCode } from "../exit.ts";
import { log } from "../log.ts";
import { StopSignals } from "../stop-signals.ts";
import { guardOutputs } from "../write-guard.ts";
import { asUserError, openFs, parseSelection, progressLine, selectionArgs } from "./ffs.ts";
import { MAX_WARNINGS, statsLine } from "./getfree.ts";
import { parseSeparator } from "./textpieces.ts";
import { INTERRUPTED_MARK, prepareOutDir, REPORT, reportHeader } from "./undelete-outdir.ts";

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
  meta: { name: "undelete", description: "Recover deleted text from an FFS/UFS filesystem into OUTDIR: text pieces from free fragments, deleted names, report.txt" },
  args: {
    fs: { type: "positional", description: "filesystem image or device", required: true },
    outdir: { type: "positional", description: "output directory (created; must be empty, or hold an interrupted run of the same FS)", required: true },
    utf8: { type: "boolean", description: "count valid UTF-8 as text, not only 7-bit ASCII" },
    separator: { type: "string", description: "string written between joined fragments (default none)" },
    ...selectionArgs,
  },
  async run({ args }) {
    const { groups, since } = parseSelection(args, 2);
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
    report.writeText(`${reportHeader(String(args.fs))} ${sb.variant} ${sb.bigEndian ? "big" : "little"}-endian, fragment size ${fsize}\n# text pieces\n`);
    const files = new PieceFiles(join(outdir, "piece"), (info, path) => report.writeText(pieceLine(path, info, index) + "\n"));
    const assembler = new PieceAssembler(files, { utf8: !!args.utf8, separator: parseSeparator(args.separator) });
    const progress = progressLine();
    const problems = new BoundedList<string>(1000);
    const freeDirs = new FreeDirectoryScanner(sb, base);
    let stream = 0;
    try {
      // Uniform fragments are kept: a fragment of NULs right after text marks where a file ended.
      const stats = await walkFreeAsync(source, sb, {
        fragments(buf, count, frag) {
          builder.add(frag, count);
          freeDirs.scan(buf, count, frag);
          for (let i = 0; i < count; i++) assembler.push(buf.subarray(i * fsize, (i + 1) * fsize), stream++);
        },
        unreadable(frag, count, errno) {
          assembler.interrupt();
          problems.push(`fragments ${frag}..${frag + count - 1}: ${errno === 0 ? "past the end of the image" : `unreadable (errno ${errno}), skipped`}`);
        },
        groupError(message) {
          assembler.interrupt();
          problems.push(`${message}; group skipped`);
        },
      }, {
        groups, since, base, keepUniform: true,
        shouldStop: () => stop.requested,
        onGroup: (cg, done, total) => progress.update(`undelete: cylinder group ${cg.index} (${done + 1}/${total}), ${assembler.completeCount + assembler.partialCount} pieces`),
      });
      if (stats.stopped) {
        progress.done();
        // Finished pieces stay (they are complete); the one in progress is dropped. The
        // report lists what was written and says, on its last line, that the run was cut
        // short: a rerun into OUTDIR recognises it and starts again.
        files.abandon();
        for (const p of problems.items) report.writeText(`# problem: ${p}\n`);
        report.writeText(`# ${statsLine(stats, fsize)}\n`);
        report.writeText(`${INTERRUPTED_MARK} by ${stop.signal}: incomplete (deleted names not searched); run the same command again to redo it\n`);
        report.finish();
        log.info(statsLine(stats, fsize));
        return stop.interrupted(`${assembler.completeCount + assembler.partialCount} finished pieces kept in ${outdir}; the same command again replaces them with a full run`);
      }
      assembler.finish();
      progress.update("undelete: scanning directories for deleted names");
      const dirs = findDeletedNames(source, sb, base);
      progress.done();
      for (const p of dirs.problems) problems.push(p);
      // What the report lists is bounded by the image (at least 1 MiB): a crafted directory
      // tree (one block listed a thousand times, a parent cycle) cannot inflate it.
      const budget = Math.max(1 << 20, source.size ?? 0);
      const more = dirs.namesDropped ? `, ${dirs.namesDropped} more not kept` : "";
      report.writeText(`# deleted names (${dirs.names.length} found in ${dirs.directories} directories${more})\n`);
      writeBounded(report, dirs.names.map(nameLine), dirs.names.length, budget);
      report.writeText(`# names in free directory blocks (${freeDirs.names.length}${freeDirs.truncated ? ", list truncated" : ""})\n`);
      writeBounded(report, freeDirs.names.map((n) => `${n.name}: inode ${n.inode}, entry at byte ${n.byte}`), freeDirs.names.length, 2 * budget);
      report.writeText(`# problems (${problems.total})\n`);
      for (const p of problems.items) report.writeText(p + "\n");
      if (problems.dropped) report.writeText(`# ${problems.dropped} more problems not listed\n`);
      report.writeText(`# ${statsLine(stats, fsize)}\n`);
      report.finish();
      for (const p of problems.items.slice(0, MAX_WARNINGS)) log.warn(p);
      if (problems.total > MAX_WARNINGS) log.warn(`${problems.total - MAX_WARNINGS} more problems: see ${join(outdir, REPORT)}`);
      log.info(statsLine(stats, fsize));
      log.info(`${assembler.completeCount} complete and ${assembler.partialCount} partial text pieces, ${dirs.names.length} deleted names in directories, ${freeDirs.names.length} in free directory blocks; see ${join(outdir, "report.txt")}`);
      return problems.total ? ExitCode.incomplete : ExitCode.ok;
    } catch (e) {
      files.abandon();
      report.abandon();
      throw asUserError(e);
    } finally {
      stop.dispose();
      source.close();
    }
  },
});
