// What a disc status (CDROM_DISC_STATUS) means for raw reads: how many user bytes a
// sector carries and where they start inside the 2352-byte raw frame.
//   audio:  no header, 2352 bytes of samples
//   mode 1: 12 sync + 4 header, then 2048 data (then EDC/ECC)
//   mode 2: 12 sync + 4 header, then 2336 data (no ECC)
//   XA form 1 / form 2: 12 sync + 4 header + 8 subheader, then 2048 / 2324 data
// Mixed discs have tracks of several kinds, so no single layout fits: raw reads are
// off and only the drive reset is used (what safecopy does too).

export const CDS = {
  NO_INFO: 0, NO_DISC: 1, TRAY_OPEN: 2, DRIVE_NOT_READY: 3, DISC_OK: 4,
  AUDIO: 100, DATA_1: 101, DATA_2: 102, XA_2_1: 103, XA_2_2: 104, MIXED: 105,
} as const;

export interface CdLayout {
  /** Name used in messages, as safecopy prints it. */
  name: string;
  /** User bytes per sector; 0 when raw reads are not possible (mixed or unknown disc). */
  sectorSize: number;
  /** Where the user bytes start inside the raw frame. */
  dataOffset: number;
}

const layouts: Record<number, CdLayout> = {
  [CDS.AUDIO]: { name: "audio", sectorSize: 2352, dataOffset: 0 },
  [CDS.DATA_1]: { name: "Mode1", sectorSize: 2048, dataOffset: 16 },
  [CDS.DATA_2]: { name: "Mode2", sectorSize: 2336, dataOffset: 16 },
  [CDS.XA_2_1]: { name: "XA 1", sectorSize: 2048, dataOffset: 24 },
  [CDS.XA_2_2]: { name: "XA 2", sectorSize: 2324, dataOffset: 24 },
  [CDS.MIXED]: { name: "mixed mode", sectorSize: 0, dataOffset: 0 },
};

export function cdLayout(discStatus: number): CdLayout {
  return layouts[discStatus] ?? { name: "unknown disc", sectorSize: 0, dataOffset: 0 };
}

const driveStatusNames: Record<number, string> = {
  [CDS.NO_INFO]: "no information",
  [CDS.NO_DISC]: "no disc",
  [CDS.TRAY_OPEN]: "tray open",
  [CDS.DRIVE_NOT_READY]: "drive not ready",
  [CDS.DISC_OK]: "disc ok",
};

export function driveStatusName(status: number): string {
  return driveStatusNames[status] ?? `status ${status}`;
}

const discTypeNames: Record<number, string> = {
  [CDS.AUDIO]: "audio CD",
  [CDS.DATA_1]: "data CD, mode 1",
  [CDS.DATA_2]: "data CD, mode 2",
  [CDS.XA_2_1]: "CD-ROM XA, mode 2 form 1",
  [CDS.XA_2_2]: "CD-ROM XA, mode 2 form 2",
  [CDS.MIXED]: "mixed mode CD",
};

export function discTypeName(status: number): string {
  return discTypeNames[status] ?? driveStatusNames[status] ?? `disc status ${status}`;
}
