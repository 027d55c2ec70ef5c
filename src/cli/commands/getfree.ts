// `salvage getfree FS [CG...]`: every free fragment, in address order, to stdout or a
// file — the 1990 getfree, for UFS1 and UFS2. With --keep-uniform the output is
// byte-identical to TSK's `blkls` (all unallocated fragments).
import { defineCommand } from "citty";
import { walkFreeAsync, type WalkStats } from "../../ffs/free-walk.ts";
import { ByteWriter } from "../../carve/byte-writer.ts";
import { FragmentIndexBuilder, formatIndexHeader, formatIndexRun } from "../../carve/fragment-index.ts";
import type { Source } from "../../io/source.ts";
import { Errno } from "../../native/errors.ts";
import { humanBytes } from "../../util/units.ts";
import { ExitCode, UserError } from "../exit.ts";
import { log } from "../log.ts";
import { StopSignals } from "../stop-signals.ts";
import { guardOutputs, type Named } from "../write-guard.ts";
import { walkProgress } from "../progress/walk-progress.ts";
import { asUserError, openFs, parseSelection, selectionArgs } from "./ffs.ts";

/** Problems shown one by one on stderr (a damaged or crafted disk has thousands); then a count. */
export const MAX_WARNINGS = 20;

export function statsLine(s: WalkStats, fsize: number): string {
  return (
    `${s.groupsWalked} cylinder groups walked` +
    (s.groupsSkipped ? `, ${s.groupsSkipped} not modified since --since` : "") +
    (s.groupsFailed ? `, ${s.groupsFailed} unreadable` : "") +
    `; ${s.freeFragments} free fragments, ${s.passedFragments} written (${humanBytes(s.passedFragments * fsize)})` +
    (s.uniformFragments ? `, ${s.uniformFragments} of one repeated byte skipped` : "") +
    (s.unreadableFragments ? `, ${s.unreadableFragments} UNREADABLE` : "") +
    (s.missingFragments ? `, ${s.missingFragments} past the end of the image` : "")
  );
}

/** errnos that say "the kernel cannot copy between these two": read and write instead, from now on. */
const COPY_REFUSED = new Set(["EINVAL", "ENOSYS", "ESPIPE", "EXDEV", "EBADF", "EOPNOTSUPP", "EAGAIN"].map((n) => (Errno as Record<string, number>)[n]!));

/**
 * `count` fragments at byte `offset` of the source to the output by sendfile: fragments copied
 * whole (0 after a read error: the walk reads them, and says which are damaged), or -1 when the
 * kernel refuses. A copy that stopped inside a fragment has that fragment completed by a read,
 * so that the output never holds part of one.
 */
function copyFragments(out: ByteWriter, source: Source, offset: number, count: number, fsize: number): number {
  // Never past the image's end: a truncated last fragment is the walk's to report.
  const n = source.size === null ? count : Math.min(count, Math.max(0, Math.floor((source.size - offset) / fsize)));
  if (n === 0) return 0;
  const r = out.copyFrom(source, n * fsize, offset);
  if (r < 0) return COPY_REFUSED.has(-r) ? -1 : 0;
  const whole = Math.floor(r / fsize);
  const part = r - whole * fsize;
  if (part === 0) return whole;
  const rest = new Uint8Array(fsize - part);
  if (source.read(rest, rest.length, offset + r) !== rest.length)
    throw new UserError(`fragment at byte ${offset + whole * fsize}: copied in part, the rest cannot be read; run again without --keep-uniform`);
  out.write(rest);
  return whole + 1;
}

export default defineCommand({
  meta: { name: "getfree", description: "Write the free fragments of an FFS/UFS filesystem (all or chosen cylinder groups), in address order" },
  args: {
    fs: { type: "positional", description: "filesystem image or device", required: true },
    output: { type: "string", alias: "o", description: "write to FILE instead of stdout" },
    "keep-uniform": { type: "boolean", description: "keep fragments that are one repeated byte (blkls-identical output)" },
    index: { type: "string", description: "write FILE telling which disk fragment each output fragment came from" },
    ...selectionArgs,
  },
  async run({ args }) {
    const { groups, since } = parseSelection(args, 1);
    if (args.output === undefined && process.stdout.isTTY) throw new UserError("refusing to write fragments to a terminal: use -o FILE or a pipe");
    // `-o FS` once emptied the filesystem being read (and opened a device source for writing).
    const outputs: Named[] = [];
    if (args.output !== undefined) outputs.push({ role: "output", path: String(args.output) });
    if (args.index !== undefined) outputs.push({ role: "index", path: String(args.index) });
    guardOutputs([{ role: "filesystem", path: String(args.fs) }], outputs, { outputs: "stream" });
    const { source, sb, base } = openFs(String(args.fs), args);
    const fsize = sb.raw.fsize;
    // Before any output file exists: a signal from now on stops cleanly (temporary files
    // removed), never by the default action that would leave them behind.
    const stop = new StopSignals();
    let out: ByteWriter;
    try {
      out = new ByteWriter(args.output === undefined ? null : String(args.output));
    } catch (e) {
      source.close();
      throw asUserError(e);
    }
    const index = new FragmentIndexBuilder();
    const progress = walkProgress("getfree");
    let problems = 0;
    try {
      const stats = await walkFreeAsync(source, sb, {
        fragments(buf, count, frag) {
          out.write(buf.subarray(0, count * fsize));
          index.add(frag, count);
        },
        unreadable(frag, count, errno) {
          if (++problems > MAX_WARNINGS) return;
          const where = `fragments ${frag}..${frag + count - 1} (byte ${base + frag * fsize})`;
          log.warn(errno === 0 ? `${where}: past the end of the image, not written` : `${where}: unreadable (errno ${errno}), skipped`);
        },
        groupError(message) {
          if (++problems > MAX_WARNINGS) return;
          log.warn(`${message}; group skipped`);
        },
        // --keep-uniform: the fragments are not looked at, so the kernel copies them (sendfile).
        copy(frag, count) {
          const copied = copyFragments(out, source, base + frag * fsize, count, fsize);
          if (copied > 0) index.add(frag, copied);
          return copied;
        },
      }, {
        groups, since, base, keepUniform: !!args["keep-uniform"],
        shouldStop: () => stop.requested || out.readerGone,
        onGroup: (cg, done, total) => progress.update(done / total, out.written, `cylinder group ${cg.index} (${done + 1}/${total})`),
      });
      progress.done();
      // `getfree FS | head`: the reader has what it wanted; stopping is success.
      if (out.readerGone && !stop.requested) return ExitCode.ok;
      if (problems > MAX_WARNINGS) log.warn(`${problems - MAX_WARNINGS} more problems not shown`);
      if (stats.stopped) {
        log.info(statsLine(stats, fsize));
        if (args.output !== undefined) {
          // Never leave a half-written file under the final name (nor its temporary one).
          out.abandon();
          return stop.interrupted(`${args.output} not written${args.index !== undefined ? `, nor ${args.index}` : ""}`);
        }
        try {
          out.flush();
        } catch {
          // The reader of the pipe was interrupted by the same Ctrl-C and is gone.
        }
        return stop.interrupted(`output incomplete: ${humanBytes(out.written)} of free fragments written`);
      }
      out.finish();
      if (args.index !== undefined) {
        const ix = new ByteWriter(String(args.index));
        ix.writeText(formatIndexHeader(fsize, base));
        for (const r of index.runs) ix.writeText(formatIndexRun(r));
        ix.finish();
      }
      log.info(statsLine(stats, fsize));
      return problems ? ExitCode.incomplete : ExitCode.ok;
    } catch (e) {
      out.abandon();
      throw asUserError(e);
    } finally {
      stop.dispose();
      source.close();
    }
  },
});
