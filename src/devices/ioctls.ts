// The device ioctls as one replaceable object: detection and recovery code take it
// as a parameter, so unit tests drive them with a fake drive (audio, mode 2, XA,
// failing resets) that the emulated hardware cannot provide.
import * as cd from "../native/cdrom.ts";
import * as fd from "../native/floppy.ts";

export interface DeviceIoctls {
  cdDriveStatus(fd: number): number;
  cdDiscStatus(fd: number): number;
  cdLastWritten(fd: number): number;
  cdReset(fd: number): number;
  cdReadRaw(fd: number, at: cd.Msf, frame: Uint8Array): number;
  cdTocHeader(fd: number): { first: number; last: number } | number;
  cdTocEntry(fd: number, track: number): cd.TocEntry | number;
  dvdPhysical(fd: number): cd.DvdPhysical | number;
  openControl(path: string): number;
  floppyReset(fd: number): number;
  floppyTwaddle(fd: number): number;
  floppyGeometry(fd: number): fd.FloppyGeometry | number;
  floppyDriveType(fd: number): string | number;
}

export const nativeIoctls: DeviceIoctls = {
  cdDriveStatus: cd.driveStatusRaw,
  cdDiscStatus: cd.discStatusRaw,
  cdLastWritten: cd.lastWrittenRaw,
  cdReset: cd.resetRaw,
  cdReadRaw: cd.readRawFrame,
  cdTocHeader: cd.tocHeader,
  cdTocEntry: cd.tocEntry,
  dvdPhysical: cd.dvdPhysical,
  openControl: fd.openControlRaw,
  floppyReset: fd.resetRaw,
  floppyTwaddle: fd.twaddleRaw,
  floppyGeometry: fd.geometry,
  floppyDriveType: fd.driveType,
};
