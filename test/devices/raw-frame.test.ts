import { expect, test } from "bun:test";
import { hasSync, headerEncoding, parseRawHeader } from "../../src/devices/raw-frame.ts";
import { makeFrame } from "./fake-cd.ts";

test("a standard (BCD) header decodes to its LBA", () => {
  const h = parseRawHeader(makeFrame(4350, 16, 2048, 1));
  expect(h.syncOk).toBe(true);
  expect(h.msf).toEqual({ minute: 1, second: 0, frame: 0 });
  expect(h.mode).toBe(1);
  expect(headerEncoding(h, 4350)).toBe("bcd");
});

test("QEMU's binary header is recognised as binary, not as a match in BCD", () => {
  // LBA 16 = 00:02:16; QEMU writes 00 02 10 (0x10 = 16).
  const f = makeFrame(16, 16, 2048, 1);
  f.set([0x00, 0x02, 0x10, 0x01], 12);
  const h = parseRawHeader(f);
  expect(h.lba).toBe(10);
  expect(headerEncoding(h, 16)).toBe("binary");
  expect(headerEncoding(h, 17)).toBeNull();
});

test("a damaged sync pattern is detected", () => {
  const f = makeFrame(5, 16, 2048, 1);
  expect(hasSync(f)).toBe(true);
  f[6] = 0xfe;
  expect(hasSync(f)).toBe(false);
});
