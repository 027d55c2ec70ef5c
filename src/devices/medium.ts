// Medium detection: what is behind a descriptor, probed once with harmless ioctls.
// Order as in safecopy: DVD (DVD_READ_STRUCT answers only on DVD media), then CD
// (CDROM_DISC_STATUS), then floppy, then plain block device or file. safecopy tests
// for a floppy with FDRESET, which resets the controller as a side effect; FDGETDRVTYP
// answers the same question on a read-only descriptor without touching the drive.
import type { DvdPhysical, TocEntry } from "../native/cdrom.ts";
import type { FloppyGeometry } from "../native/floppy.ts";
import { cdLayout, CDS, type CdLayout } from "./cd-layout.ts";
import type { DeviceIoctls } from "./ioctls.ts";

export type Medium =
  | { kind: "cd"; driveStatus: number; discStatus: number; layout: CdLayout; lastWritten: number | null; tracks: TocTrack[] }
  | { kind: "dvd"; driveStatus: number; physical: DvdPhysical; lastWritten: number | null }
  | { kind: "cd-drive-empty"; driveStatus: number; discStatus: number }
  | { kind: "floppy"; driveType: string; geometry: FloppyGeometry | null; geometryError: number | null }
  | { kind: "block" }
  | { kind: "file" };

export interface TocTrack extends TocEntry {
  /** Track number; 0xAA is the lead-out. */
  track: number;
}

const NO_DISC: readonly number[] = [CDS.NO_INFO, CDS.NO_DISC, CDS.TRAY_OPEN, CDS.DRIVE_NOT_READY];

/** `isBlock` false means a regular file or other non-device: no ioctls are tried. */
export function detectMedium(io: DeviceIoctls, fd: number, isBlock: boolean): Medium {
  if (!isBlock) return { kind: "file" };
  const dvd = io.dvdPhysical(fd);
  if (typeof dvd !== "number") {
    return { kind: "dvd", driveStatus: io.cdDriveStatus(fd), physical: dvd, lastWritten: lastWritten(io, fd) };
  }
  const disc = io.cdDiscStatus(fd);
  if (disc >= 0) {
    const driveStatus = io.cdDriveStatus(fd);
    if (NO_DISC.includes(disc)) return { kind: "cd-drive-empty", driveStatus, discStatus: disc };
    return { kind: "cd", driveStatus, discStatus: disc, layout: cdLayout(disc), lastWritten: lastWritten(io, fd), tracks: toc(io, fd) };
  }
  const type = io.floppyDriveType(fd);
  if (typeof type === "string") {
    const g = io.floppyGeometry(fd);
    return typeof g === "number"
      ? { kind: "floppy", driveType: type, geometry: null, geometryError: -g }
      : { kind: "floppy", driveType: type, geometry: g, geometryError: null };
  }
  return { kind: "block" };
}

function lastWritten(io: DeviceIoctls, fd: number): number | null {
  const r = io.cdLastWritten(fd);
  return r < 0 ? null : r;
}

/** Data tracks and the lead-out (track 0xAA), for `info`; empty when the TOC cannot be read. */
function toc(io: DeviceIoctls, fd: number): TocTrack[] {
  const h = io.cdTocHeader(fd);
  if (typeof h === "number") return [];
  const entries: TocTrack[] = [];
  for (const t of [...Array.from({ length: h.last - h.first + 1 }, (_, i) => h.first + i), 0xaa]) {
    const e = io.cdTocEntry(fd, t);
    if (typeof e !== "number") entries.push({ track: t, ...e });
  }
  return entries;
}
