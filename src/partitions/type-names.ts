// Human names of partition types, as fdisk and gdisk show them. Unknown types keep their code.

const mbrNames: Record<number, string> = {
  0x01: "FAT12", 0x04: "FAT16 <32M", 0x05: "Extended", 0x06: "FAT16", 0x07: "HPFS/NTFS/exFAT",
  0x0b: "W95 FAT32", 0x0c: "W95 FAT32 (LBA)", 0x0e: "W95 FAT16 (LBA)", 0x0f: "W95 Extended (LBA)",
  0x11: "Hidden FAT12", 0x14: "Hidden FAT16 <32M", 0x16: "Hidden FAT16", 0x17: "Hidden HPFS/NTFS",
  0x1b: "Hidden W95 FAT32", 0x1c: "Hidden W95 FAT32 (LBA)", 0x1e: "Hidden W95 FAT16 (LBA)",
  0x27: "Hidden NTFS WinRE", 0x42: "Windows dynamic (SFS)", 0x80: "Old Minix", 0x81: "Minix / old Linux",
  0x82: "Linux swap / Solaris", 0x83: "Linux", 0x85: "Linux extended", 0x86: "NTFS volume set",
  0x87: "NTFS volume set", 0x8e: "Linux LVM", 0x9f: "BSD/OS", 0xa5: "FreeBSD", 0xa6: "OpenBSD",
  0xa8: "Darwin UFS", 0xa9: "NetBSD", 0xab: "Darwin boot", 0xaf: "HFS / HFS+", 0xb7: "BSDI fs",
  0xb8: "BSDI swap", 0xbe: "Solaris boot", 0xbf: "Solaris", 0xda: "Non-FS data", 0xeb: "BeOS fs",
  0xee: "GPT (protective)", 0xef: "EFI (FAT-12/16/32)", 0xfb: "VMware VMFS", 0xfd: "Linux raid autodetect",
};

export function mbrTypeName(type: number): string {
  return mbrNames[type] ?? "unknown";
}

const gptNames: Record<string, string> = {
  "C12A7328-F81F-11D2-BA4B-00A0C93EC93B": "EFI System",
  "024DEE41-33E7-11D3-9D69-0008C781F39F": "MBR partition scheme",
  "21686148-6449-6E6F-744E-656564454649": "BIOS boot",
  "0FC63DAF-8483-4772-8E79-3D69D8477DE4": "Linux filesystem",
  "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F": "Linux swap",
  "E6D6D379-F507-44C2-A23C-238F2A3DF928": "Linux LVM",
  "A19D880F-05FC-4D3B-A006-743F0F84911E": "Linux RAID",
  "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709": "Linux root (x86-64)",
  "933AC7E1-2EB4-4F13-B844-0E14E2AEF915": "Linux home",
  "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7": "Microsoft basic data",
  "E3C9E316-0B5C-4DB8-817D-F92DF00215AE": "Microsoft reserved",
  "DE94BBA4-06D1-4D40-A16A-BFD50179D6AC": "Windows recovery environment",
  "83BD6B9D-7F41-11DC-BE0B-001560B84F0F": "FreeBSD boot",
  "516E7CB4-6ECF-11D6-8FF8-00022D09712B": "FreeBSD disklabel",
  "516E7CB5-6ECF-11D6-8FF8-00022D09712B": "FreeBSD swap",
  "516E7CB6-6ECF-11D6-8FF8-00022D09712B": "FreeBSD UFS",
  "516E7CB8-6ECF-11D6-8FF8-00022D09712B": "FreeBSD Vinum",
  "516E7CBA-6ECF-11D6-8FF8-00022D09712B": "FreeBSD ZFS",
  "49F48D32-B10E-11DC-B99B-0019D1879648": "NetBSD swap",
  "49F48D5A-B10E-11DC-B99B-0019D1879648": "NetBSD FFS",
  "49F48D82-B10E-11DC-B99B-0019D1879648": "NetBSD LFS",
  "824CC7A0-36A8-11E3-890A-952519AD3F61": "OpenBSD data",
  "48465300-0000-11AA-AA11-00306543ECAC": "Apple HFS/HFS+",
  "7C3457EF-0000-11AA-AA11-00306543ECAC": "Apple APFS",
  "55465300-0000-11AA-AA11-00306543ECAC": "Apple UFS",
  "6A898CC3-1DD2-11B2-99A6-080020736631": "Solaris /usr & Apple ZFS",
};

export function gptTypeName(guid: string): string {
  return gptNames[guid] ?? "unknown";
}

// fstype numbers of <sys/disklabel.h>; 0-17 are common to the BSDs, the rest as FreeBSD and NetBSD number them.
const bsdNames = [
  "unused", "swap", "Version 6", "Version 7", "System V", "4.1BSD", "Eighth Edition", "4.2BSD (UFS)",
  "MSDOS", "4.4LFS", "unknown", "HPFS", "ISO9660", "boot", "ADOS", "HFS", "ADFS", "ext2fs", "ccd", "RAID",
];
const bsdMore: Record<number, string> = { 21: "vinum", 27: "ZFS" };

export function bsdTypeName(fstype: number): string {
  return bsdNames[fstype] ?? bsdMore[fstype] ?? "unknown";
}
