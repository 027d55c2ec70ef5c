// O_DIRECT semantics (a read spanning a bad sector fails whole; SCSI medium errors are
// ENODATA), modelled with MemorySource's failWhole, and the splitting that undoes them.
import { expect, test } from "bun:test";
import { isMediaError, SplitOnErrorSource } from "../../src/devices/split-read.ts";
import { MemorySource } from "../../src/io/memory-source.ts";
import type { Source } from "../../src/io/source.ts";

const EIO = 5, ENODATA = 61, EINVAL = 22;

/** MemorySource whose errors come out as ENODATA, like scsi_debug's medium errors. */
function enodata(src: MemorySource): Source {
  return {
    path: src.path, size: src.size, seekable: true, sectorSize: src.sectorSize, alignment: 1,
    read: (b, n, o) => { const r = src.read(b, n, o); return r === -EIO ? -ENODATA : r; },
    close() {},
  };
}

const data = Uint8Array.from({ length: 64 * 512 }, (_, i) => (i * 31) & 0xff);

test("a whole-failing 64 KiB read becomes the good part before the bad sector", () => {
  const mem = new MemorySource(data, { bad: [[10 * 512, 11 * 512]], failWhole: true });
  const s = new SplitOnErrorSource(enodata(mem));
  const buf = new Uint8Array(data.length);
  expect(s.read(buf, data.length, 0)).toBe(10 * 512);
  expect(buf.subarray(0, 10 * 512)).toEqual(data.subarray(0, 10 * 512));
  // The bad sector itself: EIO, whatever errno the driver used.
  expect(s.read(buf, 512, 10 * 512)).toBe(-EIO);
  expect(s.read(buf, 4096, 10 * 512)).toBe(-EIO);
  // Right after it the data is complete again.
  expect(s.read(buf, 1024, 11 * 512)).toBe(1024);
  expect(buf.subarray(0, 1024)).toEqual(data.subarray(11 * 512, 12 * 512 + 512));
});

test("healthy reads are passed through as one request", () => {
  const mem = new MemorySource(data, { failWhole: true });
  expect(new SplitOnErrorSource(mem).read(new Uint8Array(data.length), data.length, 0)).toBe(data.length);
  expect(mem.reads).toHaveLength(1);
});

test("errors that are not media errors are not retried", () => {
  const src: Source = { path: "x", size: 4096, seekable: true, sectorSize: 512, alignment: 512, read: () => -EINVAL, close() {} };
  expect(new SplitOnErrorSource(src).read(new Uint8Array(4096), 4096, 0)).toBe(-EINVAL);
  expect(isMediaError(-ENODATA)).toBe(true);
  expect(isMediaError(-EINVAL)).toBe(false);
});
