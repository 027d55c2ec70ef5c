import { defineCommand } from "citty";
import { probe, type DeviceInfo } from "../../io/probe.ts";
import { humanBytes } from "../../util/units.ts";
import { mediumJson, mediumRows } from "../../devices/medium-text.ts";

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
  meta: { name: "info", description: "Show what a file or device is: kind, size, sector sizes, read-only flag" },
  args: {
    path: { type: "positional", description: "file or device", required: true },
    json: { type: "boolean", description: "print JSON instead of text" },
  },
  run({ args }) {
    const info = probe(String(args.path));
    process.stdout.write(args.json ? JSON.stringify(infoJson(info)) + "\n" : infoText(info));
    return 0;
  },
});
