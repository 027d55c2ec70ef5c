// `salvage getfree FS [CG...]`: every free fragment, in address order, to stdout or a
// file — the 1990 getfree, for UFS1 and UFS2. With --keep-uniform the output is
// byte-identical to TSK's `blkls` (all unallocated fragments).
import { defineCommand } from "citty";
import { walkFree, type WalkStats } from "../../ffs/free-walk.ts";
import { ByteWriter } from "../../carve/byte-writer.ts";
import { FragmentIndexBuilder, formatIndexHeader, formatIndexRun } from "../../carve/fragment-index.ts";
import { humanBytes } from "../../util/units.ts";
import { ExitCode, UserError } from "../exit.ts";
import { log } from "../log.ts";
import { asUserError, offsetArg, openFs, progressLine } from "./ffs.ts";

/** Unix seconds from "1700000000", "2023-11-14", "2023-11-14T22:13:20Z", ... */
export function parseTime(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UserError(`--since: not a time: '${text}' (use Unix seconds or an ISO date)`);
  return Math.floor(ms / 1000);
}

export function parseGroups(list: string[]): number[] | undefined {
  if (list.length === 0) return undefined;
  return list.map((s) => {
    if (!/^\d+$/.test(s)) throw new UserError(`not a cylinder-group number: '${s}'`);
    return Number(s);
  });
}

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

export default defineCommand({
  meta: { name: "getfree", description: "Write the free fragments of an FFS/UFS filesystem (all or chosen cylinder groups), in address order" },
  args: {
    fs: { type: "positional", description: "filesystem image or device", required: true },
    cg: { type: "positional", description: "cylinder groups to walk (default: all)", required: false },
    output: { type: "string", alias: "o", description: "write to FILE instead of stdout" },
    "keep-uniform": { type: "boolean", description: "keep fragments that are one repeated byte (blkls-identical output)" },
    since: { type: "string", description: "only cylinder groups modified after TIME (Unix seconds or ISO date)" },
    index: { type: "string", description: "write FILE telling which disk fragment each output fragment came from" },
    ...offsetArg,
  },
  run({ args }) {
    const groups = parseGroups((args._ as string[]).slice(1));
    const since = args.since !== undefined ? parseTime(String(args.since)) : undefined;
    if (args.output === undefined && process.stdout.isTTY) throw new UserError("refusing to write fragments to a terminal: use -o FILE or a pipe");
    const { source, sb, base } = openFs(String(args.fs), args.offset);
    const fsize = sb.raw.fsize;
    let out: ByteWriter;
    try {
      out = new ByteWriter(args.output === undefined ? null : String(args.output));
    } catch (e) {
      source.close();
      throw asUserError(e);
    }
    const index = new FragmentIndexBuilder();
    const progress = progressLine();
    let problems = 0;
    try {
      const stats = walkFree(source, sb, {
        fragments(buf, count, frag) {
          out.write(buf.subarray(0, count * fsize));
          index.add(frag, count);
        },
        unreadable(frag, count, errno) {
          problems++;
          const where = `fragments ${frag}..${frag + count - 1} (byte ${base + frag * fsize})`;
          log.warn(errno === 0 ? `${where}: past the end of the image, not written` : `${where}: unreadable (errno ${errno}), skipped`);
        },
        groupError(message) {
          problems++;
          log.warn(`${message}; group skipped`);
        },
      }, {
        groups, since, base, keepUniform: !!args["keep-uniform"],
        onGroup: (cg, done, total) => progress.update(`getfree: cylinder group ${cg.index} (${done + 1}/${total}), ${humanBytes(out.written)} written`),
      });
      progress.done();
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
      source.close();
    }
  },
});
