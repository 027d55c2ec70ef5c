// Group descriptor checksums. A descriptor's BLOCK_UNINIT flag says "this group's bitmap was
// never written: do not read it"; believing a corrupt flag would call a full group free, so the
// flag counts only when the descriptor's checksum holds (as e2fsprogs decides too).
//  - gdt_csum (uninit_bg): CRC-16 (polynomial 0x8005, reflected, no final inversion), seeded
//    with 0xffff, over the filesystem UUID, the group number (le32) and the descriptor without
//    its checksum field.
//  - metadata_csum: the low 16 bits of CRC-32C (no final inversion) seeded with the checksum
//    seed, over the group number and the descriptor with its checksum field read as zero.
import { type ExtSuperblock, incompat, roCompat } from "./superblock.ts";

function table(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
const crc16Table = table(0xa001);
const crc32cTable = table(0x82f63b78);

function crc(t: Uint32Array, crc: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) crc = (t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)) >>> 0;
  return crc;
}

const le32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
const checksumField = 0x1e;

/** The seed metadata_csum checksums start from: stored, or the CRC-32C of the UUID. */
export function checksumSeed(sb: ExtSuperblock): number {
  return sb.incompat & incompat.csumSeed ? sb.checksumSeed : crc(crc32cTable, 0xffffffff, sb.uuid);
}

/** True when the descriptor's checksum holds, or when the filesystem keeps none. */
export function descriptorChecksumOk(sb: ExtSuperblock, seed: number, g: number, desc: Uint8Array): boolean {
  const stored = desc[checksumField]! | (desc[checksumField + 1]! << 8);
  const rest = desc.subarray(checksumField + 2, sb.descSize);
  if (sb.roCompat & roCompat.metadataCsum) {
    let c = crc(crc32cTable, seed, le32(g));
    c = crc(crc32cTable, c, desc.subarray(0, checksumField));
    c = crc(crc32cTable, c, new Uint8Array(2));
    return (crc(crc32cTable, c, rest) & 0xffff) === stored;
  }
  if (sb.roCompat & roCompat.gdtCsum) {
    let c = crc(crc16Table, 0xffff, sb.uuid);
    c = crc(crc16Table, c, le32(g));
    c = crc(crc16Table, c, desc.subarray(0, checksumField));
    // The part past the checksum field counts only for 64-byte (64bit) descriptors.
    if (sb.incompat & incompat.bit64) c = crc(crc16Table, c, rest);
    return (c & 0xffff) === stored;
  }
  return true;
}
