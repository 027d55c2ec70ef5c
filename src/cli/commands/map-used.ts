// `salvage map used SRC [-o DOMAIN.map] [--json]`: a ddrescue mapfile whose '+' blocks are
// the partition tables, the filesystems' metadata and their used data (plus anything that
// could not be classified), for `salvage rescue -m` or `ddrescue -m`. Free space is '?'.
import { defineCommand } from "citty";
import { FileSource } from "../../io/file-source.ts";
import { MapfileEncoder } from "../../formats/mapfile-write.ts";
import { findUsedSpace, metadataRanges, toSectors, usedRanges, type DiskUsage } from "../../fsmap/find.ts";
import { rangeBytes } from "../../fsmap/ranges.ts";
import { readBytesOf } from "../../io/source-read-bytes.ts";
import type { ByteRange } from "../../fsmap/types.ts";
import { StatusMap } from "../../rescue/mapfile/status-map.ts";
import { escapeText } from "../../util/escape.ts";
import { humanBytes } from "../../util/units.ts";
import { ExitCode, UserError } from "../exit.ts";
import { writeEncodedAtomically } from "../rescue/map-store.ts";
import { guardOutputs } from "../write-guard.ts";

/** A map of `size` bytes: the ranges '+', the rest '?' (non-tried). */
export function domainMap(ranges: readonly ByteRange[], size: number): StatusMap {
  const map = new StatusMap(size);
  for (const r of ranges) map.set(r.start, r.length, "+");
  return map;
}

export function usageSummary(u: DiskUsage, path: string): string[] {
  const lines = u.filesystems.map((f) =>
    `${escapeText(f.volume.label)}: ${f.filesystem}, ${humanBytes(rangeBytes(f.used))} used of ${humanBytes(f.volume.length)}, metadata ${humanBytes(rangeBytes(f.metadata))}` +
    (f.unknown.length ? `, ${humanBytes(rangeBytes(f.unknown))} unknown (unreadable metadata)` : ""));
  for (const n of u.notes) lines.push(`${escapeText(n)}`);
  if (u.wholeDisk) lines.push(`no filesystem mapped on '${escapeText(path)}': the whole disk counts as used`);
  return lines;
}

export default defineCommand({
  meta: { name: "used", description: "Write a ddrescue domain mapfile: '+' = partition tables, filesystem metadata and used data" },
  args: {
    src: { type: "positional", required: true, description: "disk or image (opened read-only)" },
    output: { type: "string", alias: "o", description: "write the domain mapfile here (default: stdout)" },
    json: { type: "boolean", description: "print what was found as JSON instead of the mapfile" },
  },
  run({ args }) {
    const src = String(args.src);
    if (args.output !== undefined) guardOutputs([{ role: "source", path: src }], [{ role: "domain mapfile", path: String(args.output) }], { outputs: "file" });
    let source: FileSource;
    try {
      source = new FileSource(src);
    } catch (e) {
      throw new UserError(`cannot open '${src}': ${(e as Error).message.split("\n")[0]}`);
    }
    try {
      const size = source.size;
      if (size === null) throw new UserError(`'${src}' has no known size`);
      const u = findUsedSpace(readBytesOf(source), size);
      const used = toSectors(usedRanges(u), source.sectorSize, size);
      if (args.json) {
        process.stdout.write(JSON.stringify({
          size,
          usedBytes: rangeBytes(used),
          metadataBytes: rangeBytes(metadataRanges(u)),
          wholeDisk: u.wholeDisk,
          notes: u.notes.map((n) => escapeText(n)),
          filesystems: u.filesystems.map((f) => ({ filesystem: f.filesystem, volume: { ...f.volume, label: escapeText(f.volume.label) }, unit: f.unit, usedBytes: rangeBytes(f.used), metadataBytes: rangeBytes(f.metadata), unknownBytes: rangeBytes(f.unknown) })),
        }) + "\n");
      } else {
        for (const l of usageSummary(u, src)) process.stderr.write(`salvage: ${l}\n`);
        process.stderr.write(`salvage: domain: ${humanBytes(rangeBytes(used))} of ${humanBytes(size)} (${size ? ((100 * rangeBytes(used)) / size).toFixed(1) : "0.0"} %)\n`);
      }
      const header = { program: "salvage map used", commandLine: `salvage map used ${src}`, startTime: new Date(), message: "Finished" };
      const enc = new MapfileEncoder(domainMap(used, size), { pos: 0, status: "+", pass: 1 }, header);
      if (args.output !== undefined) writeEncodedAtomically(String(args.output), enc);
      else if (!args.json) for (let p = enc.piece(); p; p = enc.piece()) process.stdout.write(p);
      return u.wholeDisk ? ExitCode.incomplete : ExitCode.ok;
    } finally {
      source.close();
    }
  },
});
