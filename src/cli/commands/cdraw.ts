// `salvage cdraw DEV LBA`: read one CD sector in raw mode (CDROMREADRAW) and show its
// sync pattern, header address and mode; `--reset` first resets the drive. A diagnostic
// for checking a drive's low-level access before a rescue with -L.
import { defineCommand } from "citty";
import { readMode1, readMode2, readRawFrame, resetRaw } from "../../native/cdrom.ts";
import { close, openSource } from "../../native/io.ts";
import { errnoName } from "../../native/errors.ts";
import { formatMsf, lbaToMsf, MAX_MSF_LBA } from "../../devices/msf.ts";
import { headerEncoding, parseRawHeader, RAW_FRAME_SIZE } from "../../devices/raw-frame.ts";
import { UserError } from "../exit.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

export default defineCommand({
  meta: { name: "cdraw", description: "Read one CD sector raw (2352 bytes) and decode its sync and header" },
  args: {
    device: { type: "positional", description: "CD-ROM device", required: true },
    lba: { type: "positional", description: "logical block address", required: true },
    reset: { type: "boolean", description: "reset the drive (CDROMRESET) first" },
  },
  run({ args }) {
    const lba = /^\d+$/.test(String(args.lba)) ? Number(args.lba) : NaN;
    if (!(lba <= MAX_MSF_LBA)) throw new UserError(`not a sector number: '${args.lba}' (accepted: 0 to ${MAX_MSF_LBA}, the last LBA an MSF address can name)`);
    const fd = openSource(String(args.device), { nonblock: true });
    try {
      if (args.reset) {
        const r = resetRaw(fd);
        process.stdout.write(`CDROMRESET: ${r < 0 ? errnoName(r) : "ok"}\n`);
      }
      const at = lbaToMsf(lba);
      const frame = new Uint8Array(RAW_FRAME_SIZE);
      const r = readRawFrame(fd, at, frame);
      if (r < 0) throw new UserError(`CDROMREADRAW at LBA ${lba} (MSF ${formatMsf(at)}): ${errnoName(r)}`, 1);
      const h = parseRawHeader(frame);
      const enc = headerEncoding(h, lba);
      const shown = enc === "binary" ? h.binaryMsf : h.msf;
      const verdict = enc === "bcd" ? "matches, BCD as in ECMA-130" : enc === "binary" ? "matches, binary-coded (as QEMU writes it)" : "MISMATCH";
      process.stdout.write(
        `LBA ${lba} requested as MSF ${formatMsf(at)}: ${RAW_FRAME_SIZE} bytes\n` +
          `  sync:   ${hex(frame.subarray(0, 12))} (${h.syncOk ? "ok" : "BAD"})\n` +
          `  header: ${hex(frame.subarray(12, 16))}: MSF ${formatMsf(shown)} = LBA ${enc === "binary" ? h.binaryLba : h.lba} (${verdict}), mode ${h.mode}\n` +
          `  data:   ${hex(frame.subarray(16, 32))}...\n`,
      );
      // The cooked reads of the same sector, for comparison with the raw frame's payload.
      const cooked = new Uint8Array(RAW_FRAME_SIZE);
      const m1 = readMode1(fd, at, cooked);
      const same = m1 === 0 && h.mode === 1 && cooked.subarray(0, 2048).every((b, i) => b === frame[16 + i]);
      process.stdout.write(`  CDROMREADMODE1: ${m1 < 0 ? errnoName(m1) : same ? "2048 bytes, equal to the raw frame's data" : "2048 bytes, DIFFERENT from the raw frame's data"}\n`);
      const m2 = readMode2(fd, at, cooked);
      process.stdout.write(`  CDROMREADMODE2: ${m2 < 0 ? errnoName(m2) : "2336 bytes"}\n`);
      return h.syncOk && enc !== null ? 0 : 1;
    } finally {
      close(fd);
    }
  },
});
