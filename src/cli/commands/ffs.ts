// `salvage ffs info FS`: the dumpfs/fsstat summary. Also home of the helpers the
// FFS commands share (opening the filesystem, the tty progress line).
import { ByteProgress, lineSink } from "../progress/byte-progress.ts";
import { defineCommand } from "citty";
import { FileSource } from "../../io/file-source.ts";
import type { Source } from "../../io/source.ts";
import { FfsError } from "../../ffs/errors.ts";
import { CylinderGroupReader } from "../../ffs/cylinder-group.ts";
import { NativeError } from "../../native/errors.ts";
import { summarize, type FsSummary } from "../../ffs/info.ts";
import { findSuperblock, scanSuperblocks, superblockOffsets, type Superblock, type SuperblockCandidate } from "../../ffs/superblock.ts";
import { humanBytes, parseSize } from "../../util/units.ts";
import { UserError } from "../exit.ts";
import { log } from "../log.ts";
import { diskVolumes, innermost, selectionNote, selectVolume, ufsAt, type DiskVolume } from "../volume-select.ts";
import { isExtended } from "../../partitions/mbr.ts";

export const offsetArg = {
  offset: { type: "string", description: "byte offset of the filesystem inside FS (default: the partition holding a UFS, else 0)" },
  partition: { type: "string", description: "the partition of a whole disk to use, as `salvage info` lists them (1, 5, 1a...)" },
  superblock: { type: "string", description: "read the superblock at this byte offset (a backup; see `ffs superblocks`)" },
} as const;

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

/** Arguments shared by the commands that walk cylinder groups. */
export const selectionArgs = {
  // variadic: read by option-check.ts, the positional takes every remaining word.
  cg: { type: "positional", description: "cylinder groups to walk (default: all)", required: false, variadic: true },
  since: { type: "string", description: "only cylinder groups modified after TIME (Unix seconds or ISO date)" },
  ...offsetArg,
} as const;

/** Groups (the positionals after the first `skip`) and --since, parsed. */
export function parseSelection(args: { _: unknown; since?: unknown }, skip: number): { groups?: number[]; since?: number } {
  return {
    groups: parseGroups((args._ as string[]).slice(skip)),
    since: args.since !== undefined ? parseTime(String(args.since)) : undefined,
  };
}

export interface OpenFs {
  source: Source;
  sb: Superblock;
  base: number;
}

function size(option: string, text: string): number {
  try {
    return parseSize(text);
  } catch (e) {
    throw new UserError(`--${option}: ${(e as Error).message}`);
  }
}

/** Open FS read-only, choose the volume (volume-select.ts) and find its superblock; bad input becomes one UserError line. */
export function openFs(path: string, args: { offset?: string; partition?: string; superblock?: string }): OpenFs {
  const at = args.superblock !== undefined ? size("superblock", args.superblock) : undefined;
  const source = new FileSource(path);
  let where = path;
  try {
    const chosen = selectVolume(source, path, args, (text) => size("offset", text));
    if (chosen.automatic) log.info(selectionNote(chosen));
    if (chosen.volume) where = `${path} (${chosen.volume.label})`;
    return { source, sb: findSuperblock(source, chosen.base, at), base: chosen.base };
  } catch (e) {
    source.close();
    if (e instanceof FfsError) throw new UserError(`${where}: ${e.message}`);
    throw e;
  }
}

/** File-system errors from node:fs (ENOSPC, EACCES, ENOENT on an output path) as one line. */
export function asUserError(e: unknown): unknown {
  if (e instanceof NativeError) return new UserError(e.message); // says what and why already
  const n = e as NodeJS.ErrnoException;
  if (n && typeof n.code === "string" && /^E[A-Z]+$/.test(n.code)) return new UserError(`${n.path ?? n.syscall ?? "output"}: ${n.code} (${n.syscall ?? "i/o"})`);
  return e;
}

/** A throttled single progress line on stderr, only when stderr is a terminal. */
export function progressLine(): { update(text: string): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update(text) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      process.stderr.write(`\r${text}\x1b[K`);
    },
    done() {
      if (shown) process.stderr.write("\r\x1b[K");
    },
  };
}

const iso = (t: number | undefined) => (t === undefined ? "-" : new Date(t * 1000).toISOString().replace(".000Z", "Z"));

export function summaryText(s: FsSummary): string {
  const rows: [string, string][] = [
    ["variant", `${s.variant}, ${s.byteOrder}${s.oldCylinderGroups ? ", 4.2/4.3BSD cylinder groups" : ""}`],
    ["superblock at", `byte ${s.superblockOffset}`],
    ["block size", `${s.blockSize}`],
    ["fragment size", `${s.fragmentSize}`],
    ["size", `${s.fragments} fragments (${humanBytes(s.fragments * s.fragmentSize)}), ${s.dataFragments} for data`],
    ["cylinder groups", `${s.cylinderGroups} × ${s.fragmentsPerGroup} fragments, ${s.inodesPerGroup} inodes each`],
    ["last written", iso(s.lastWritten)],
    ["last mount point", s.lastMount || "-"],
    ["volume name", s.volumeName || "-"],
    ["clean", s.clean ? "yes" : "no"],
    ["free", `${s.totals.nbfree} blocks + ${s.totals.nffree} fragments, ${s.totals.nifree} inodes; ${s.totals.ndir} directories`],
  ];
  const head = rows.map(([k, v]) => `${(k + ":").padEnd(18)}${v}`).join("\n");
  const groups = s.groups.map((g) =>
    g.error
      ? `  ${String(g.index).padStart(5)}  unreadable: ${g.error}`
      : `  ${String(g.index).padStart(5)}  ${iso(g.time).padEnd(20)} ${String(g.nbfree).padStart(8)} ${String(g.nffree).padStart(8)} ${String(g.bitmapFree).padStart(10)} ${String(g.nifree).padStart(8)} ${String(g.ndir).padStart(6)}`,
  );
  return `${head}\n\n     cg  last written          nbfree  nffree  free frags  nifree   ndir\n${groups.join("\n")}\n`;
}

const info = defineCommand({
  meta: { name: "info", description: "Summarise an FFS/UFS filesystem: variant, byte order, sizes, cylinder groups" },
  args: {
    fs: { type: "positional", description: "filesystem image or device", required: true },
    json: { type: "boolean", description: "print JSON instead of text" },
    ...offsetArg,
  },
  run({ args }) {
    const { source, sb, base } = openFs(String(args.fs), args);
    try {
      const s = summarize(source, sb, base);
      process.stdout.write(args.json ? JSON.stringify(s, null, 2) + "\n" : summaryText(s));
      return s.groups.some((g) => g.error) ? 1 : 0;
    } finally {
      source.close();
    }
  },
});

/**
 * A superblock outside any partition that is the primary of a filesystem starting `primaryAt`
 * bytes before it (a partition image behind some padding, a disk whose table is gone): that
 * start is the --offset to use. A backup copy names the same place relative to itself, so the
 * proof is cylinder group 0's header where that filesystem would have it (a backup in group c
 * finds group c's header there, or none).
 */
function startHint(source: Source, c: SuperblockCandidate): string {
  if (c.problem || c.primaryAt === undefined || c.offset - c.primaryAt <= 0) return "";
  const start = c.offset - c.primaryAt;
  if (!ufsAt(source, start)) return "";
  const sb = findSuperblock(source, start);
  if (sb.location !== c.primaryAt || !new CylinderGroupReader(source, sb, start).read(0).ok) return "";
  return `; the primary of a filesystem at byte ${start}: use --offset ${start}`;
}

/** Where a superblock found on a whole disk sits: the innermost partition holding it, and how to use it. */
function partitionHint(volumes: DiskVolume[], at: number): string {
  const holding = volumes.filter((v) => at >= v.partition.start && at < v.partition.start + v.partition.length);
  if (!holding.length) return "";
  const v = innermost(holding);
  const rel = at - v.partition.start;
  const use = (superblockOffsets as readonly number[]).includes(rel) ? `--partition ${v.id} (or --offset ${v.partition.start})` : `--partition ${v.id} --superblock ${rel}`;
  return `; in ${v.label} at byte ${v.partition.start}: use ${use}`;
}

const superblocks = defineCommand({
  meta: { name: "superblocks", description: "List every superblock copy found by scanning FS (for a damaged primary: use one with --superblock)" },
  args: {
    fs: { type: "positional", description: "filesystem image or device", required: true },
    limit: { type: "string", description: "scan only the first SIZE bytes (e.g. 256MiB)" },
    offset: offsetArg.offset,
    partition: offsetArg.partition,
  },
  run({ args }) {
    let limit = args.limit !== undefined ? size("limit", args.limit) : undefined;
    const source = new FileSource(String(args.fs));
    let found = 0;
    let base = 0;
    // A whole disk is scanned whole; each find then says which partition it is in.
    let volumes: DiskVolume[] = [];
    let progress: ByteProgress | null = null;
    try {
      if (args.offset !== undefined || args.partition !== undefined) {
        const chosen = selectVolume(source, String(args.fs), args, (text) => size("offset", text));
        base = chosen.base;
        if (chosen.length !== undefined) limit = Math.min(limit ?? chosen.length, chosen.length);
      } else volumes = diskVolumes(source).volumes.filter((v) => !isExtended(v.partition));
      const total = source.size === null ? null : Math.min(limit ?? Infinity, source.size - base);
      progress = new ByteProgress("scanning for superblocks", total, lineSink());
      scanSuperblocks(source, base, limit, (c) => {
        found++;
        progress!.done(); // the line is redrawn after the finding
        const geometry = c.problem ? `rejected: ${c.problem}` : `${c.ncg} cylinder groups, bsize ${c.bsize}, fsize ${c.fsize}`;
        const whole = args.offset === undefined && args.partition === undefined;
        const hint = whole ? partitionHint(volumes, c.offset) || startHint(source, c) : "";
        process.stdout.write(`byte ${c.offset}: ${c.kind} ${c.bigEndian ? "big" : "little"}-endian, ${geometry}${hint}\n`);
      }, (scanned) => progress!.update(scanned));
    } finally {
      progress?.done();
      source.close();
    }
    if (!found) process.stderr.write("salvage: no superblock magic found\n");
    return found ? 0 : 1;
  },
});

export default defineCommand({
  meta: { name: "ffs", description: "BSD Fast File System (UFS1/UFS2) tools; see also getfree, textpieces, undelete" },
  subCommands: { info, superblocks },
});
