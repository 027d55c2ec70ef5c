// Decoding a raw 2352-byte CD frame: the 12-byte sync pattern, then the header
// (MSF address in BCD and the mode byte), then the data of the sector's mode.
import type { Msf } from "../native/cdrom.ts";
import { fromBcd, msfToLba } from "./msf.ts";

export const RAW_FRAME_SIZE = 2352;
export const SYNC_PATTERN = Uint8Array.of(0x00, ...new Array<number>(10).fill(0xff), 0x00);

export interface RawHeader {
  syncOk: boolean;
  msf: Msf;
  lba: number;
  mode: number;
}

export function hasSync(frame: Uint8Array): boolean {
  return SYNC_PATTERN.every((b, i) => frame[i] === b);
}

export function parseRawHeader(frame: Uint8Array): RawHeader {
  if (frame.length < 16) throw new RangeError("a raw CD frame header needs 16 bytes");
  const msf = { minute: fromBcd(frame[12]!), second: fromBcd(frame[13]!), frame: fromBcd(frame[14]!) };
  return { syncOk: hasSync(frame), msf, lba: msfToLba(msf), mode: frame[15]! };
}
