// Decoding a raw 2352-byte CD frame: the 12-byte sync pattern, then the header
// (the sector's own MSF address and the mode byte), then the data of the sector's mode.
// ECMA-130 stores the header address in BCD; QEMU's emulated drive writes plain binary
// bytes instead, so both readings are decoded and the caller checks which one matches.
import type { Msf } from "../native/cdrom.ts";
import { fromBcd, msfToLba } from "./msf.ts";

export const RAW_FRAME_SIZE = 2352;
export const SYNC_PATTERN = Uint8Array.of(0x00, ...new Array<number>(10).fill(0xff), 0x00);

export interface RawHeader {
  syncOk: boolean;
  /** The address read as BCD (the standard). */
  msf: Msf;
  lba: number;
  /** The address read as plain binary bytes (QEMU). */
  binaryMsf: Msf;
  binaryLba: number;
  mode: number;
}

export function hasSync(frame: Uint8Array): boolean {
  return SYNC_PATTERN.every((b, i) => frame[i] === b);
}

export function parseRawHeader(frame: Uint8Array): RawHeader {
  if (frame.length < 16) throw new RangeError("a raw CD frame header needs 16 bytes");
  const [m, s, f] = [frame[12]!, frame[13]!, frame[14]!];
  const msf = { minute: fromBcd(m), second: fromBcd(s), frame: fromBcd(f) };
  const binaryMsf = { minute: m, second: s, frame: f };
  return { syncOk: hasSync(frame), msf, lba: msfToLba(msf), binaryMsf, binaryLba: msfToLba(binaryMsf), mode: frame[15]! };
}

/** How the header's address matches the LBA that was asked for: "bcd", "binary" or null. */
export function headerEncoding(h: RawHeader, lba: number): "bcd" | "binary" | null {
  if (h.lba === lba) return "bcd";
  if (h.binaryLba === lba) return "binary";
  return null;
}
