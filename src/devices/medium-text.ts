// How `salvage info` shows a medium: rows of label and value, and a JSON form.
import { errnoName } from "../native/errors.ts";
import { discTypeName, driveStatusName } from "./cd-layout.ts";
import type { Medium } from "./medium.ts";
import { formatMsf, lbaToMsf } from "./msf.ts";

export function mediumRows(m: Medium): [string, string][] {
  switch (m.kind) {
    case "cd":
      return [
        ["medium", discTypeName(m.discStatus)],
        ["drive status", driveStatusName(m.driveStatus)],
        ["raw layout", m.layout.sectorSize ? `${m.layout.sectorSize} data bytes at offset ${m.layout.dataOffset} of 2352` : `none (${m.layout.name})`],
        ["last written", m.lastWritten === null ? "unknown" : `${m.lastWritten} (CDROM_LAST_WRITTEN)`],
        ...m.tracks.map((t): [string, string] => [
          t.track === 0xaa ? "lead-out" : `track ${t.track}`,
          `LBA ${t.lba} (MSF ${formatMsf(lbaToMsf(t.lba))}), ${t.control & 4 ? `data, mode ${t.dataMode}` : "audio"}`,
        ]),
      ];
    case "dvd":
      return [
        ["medium", `DVD (book type ${m.physical.bookType}, ${m.physical.layers} layer${m.physical.layers > 1 ? "s" : ""})`],
        ["drive status", driveStatusName(m.driveStatus)],
        ["last written", m.lastWritten === null ? "unknown" : `LBA ${m.lastWritten}`],
      ];
    case "cd-drive-empty":
      return [["medium", "CD/DVD drive, no readable disc"], ["drive status", driveStatusName(m.driveStatus)]];
    case "floppy": {
      const g = m.geometry;
      return [
        ["medium", `floppy (drive type ${m.driveType})`],
        ["geometry", g ? `${g.tracks} tracks, ${g.heads} heads, ${g.sectorsPerTrack} sectors/track, ${g.sectors} sectors` : `unknown (${errnoName(m.geometryError ?? 0)})`],
      ];
    }
    case "block":
      return [["medium", "block device"]];
    case "file":
      return [];
  }
}

export function mediumJson(m: Medium): Record<string, unknown> {
  return { ...m };
}
