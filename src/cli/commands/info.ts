import { defineCommand } from "citty";
import { probe, type DeviceInfo } from "../../io/probe.ts";
import { humanBytes } from "../../util/units.ts";
import { mediumJson, mediumRows } from "../../devices/medium-text.ts";
import { partitionReportOf, partitionReportText } from "../partition-report.ts";
import { escapeText } from "../../util/escape.ts";

const kindNames: Record<string, string> = {
  regular: "regular file",
  block: "block device",
  char: "character device",
  fifo: "fifo (pipe)",
  directory: "directory",
  socket: "socket",
  other: "other",
};

export function infoJson(i: DeviceInfo): Record<string, unknown> {
  return {
    path: i.path,
    kind: i.kind,
    size: i.size,
    logicalSectorSize: i.logicalSector,
    physicalSectorSize: i.physicalSector,
    blksize: i.blksize,
    readOnly: i.readOnly,
    ...(i.medium ? { medium: mediumJson(i.medium) } : {}),
  };
}

export function infoText(i: DeviceInfo): string {
  const rows: [string, string][] = [
    ["kind", kindNames[i.kind] ?? i.kind],
    ["size", i.size === null ? "unknown" : `${i.size} bytes (${humanBytes(i.size)})`],
    ["logical sector", i.logicalSector === null ? "-" : `${i.logicalSector} bytes`],
    ["physical sector", i.physicalSector === null ? "-" : `${i.physicalSector} bytes`],
    ["st_blksize", `${i.blksize} bytes`],
    ["read-only", i.readOnly ? "yes" : "no"],
    ...(i.medium ? mediumRows(i.medium) : []),
  ];
  return [i.path, ...rows.map(([k, v]) => `  ${(k + ":").padEnd(17)}${v}`)].join("\n") + "\n";
}

export default defineCommand({
  meta: { name: "info", description: "Show what a file or device is: kind, size, sector sizes, read-only flag, partitions and their filesystems" },
  args: {
    path: { type: "positional", description: "file or device", required: true },
    json: { type: "boolean", description: "print JSON instead of text" },
  },
  run({ args }) {
    const info = probe(String(args.path));
    // Partitions of what can hold them: images and block devices with something in them (never
    // a pipe's data, nor a drive without a disc, which is not even opened).
    const parts = (info.kind === "regular" || info.kind === "block") && (info.size ?? 0) > 0 ? partitionReportOf(info.path) : null;
    if (args.json) process.stdout.write(JSON.stringify({ ...infoJson(info), ...(parts ? { partitionTable: parts } : {}) }) + "\n");
    else process.stdout.write(infoText(info) + (!parts ? "" : "error" in parts ? `  partitions:      unreadable (${escapeText(parts.error)})\n` : partitionReportText(parts)));
    return 0;
  },
});
