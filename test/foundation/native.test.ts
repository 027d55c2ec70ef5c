// The shim's contract as seen from TypeScript: -errno becomes a named error with context,
// raw calls return -errno, and O_DIRECT alignment rules surface as EINVAL.
import { afterAll, describe, expect, test } from "bun:test";
import { closeSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dlopen, FFIType, ptr } from "bun:ffi";
import { errnoName, NativeError } from "../../src/native/errors.ts";
import { openSource, preadRaw, close, openTarget, pwriteAll, ftruncate, openDirectoryRaw, syncfsRaw, sendfileRaw } from "../../src/native/io.ts";
import { alignedBuffer } from "../../src/native/aligned.ts";
import { statPath, sameFile } from "../../src/native/stat.ts";
import { scratchDir } from "../helpers/binary.ts";

const dir = scratchDir("native");
afterAll(() => dir.cleanup());

describe("errno mapping", () => {
  test("numbers map to Linux names", () => {
    expect(errnoName(5)).toBe("EIO");
    expect(errnoName(-22)).toBe("EINVAL");
    expect(errnoName(2)).toBe("ENOENT");
    expect(errnoName(61)).toBe("ENODATA");
  });

  test("a failed open throws NativeError carrying code, op and path", () => {
    const missing = join(dir.path, "does-not-exist");
    let caught: unknown;
    try {
      openSource(missing);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NativeError);
    const e = caught as NativeError;
    expect(e.code).toBe("ENOENT");
    expect(e.errno).toBe(2);
    expect(e.path).toBe(missing);
    expect(e.message).toContain(missing);
    expect(e.message).toContain("ENOENT");
  });

  test("raw reads return -errno instead of throwing", () => {
    expect(preadRaw(-1, new Uint8Array(16), 16, 0)).toBe(-9); // EBADF
  });
});

describe("O_DIRECT", () => {
  const file = join(dir.path, "direct.bin");
  const data = new Uint8Array(64 * 1024).map((_, i) => (i * 7 + 3) & 0xff);
  writeFileSync(file, data);

  test("aligned buffers are aligned and reads into them succeed", () => {
    const buf = alignedBuffer(8192, 4096);
    expect(Number(ptr(buf)) % 4096).toBe(0);
    const fd = openSource(file, { direct: true });
    try {
      expect(preadRaw(fd, buf, 8192, 4096)).toBe(8192);
      expect(Buffer.from(buf).equals(Buffer.from(data.subarray(4096, 4096 + 8192)))).toBe(true);
    } finally {
      close(fd);
    }
  });

  test("a misaligned buffer surfaces EINVAL", () => {
    const buf = alignedBuffer(8192, 4096);
    const fd = openSource(file, { direct: true });
    try {
      expect(preadRaw(fd, buf.subarray(1), 4096, 0)).toBe(-22);
      expect(preadRaw(fd, buf, 1000, 0)).toBe(-22); // misaligned length
      expect(preadRaw(fd, buf, 4096, 100)).toBe(-22); // misaligned offset
    } finally {
      close(fd);
    }
  });
});

describe("targets and identity", () => {
  test("write, truncate and stat agree; the same file is recognised", () => {
    const file = join(dir.path, "target.bin");
    const fd = openTarget(file, { create: true, truncate: true });
    try {
      pwriteAll(fd, new Uint8Array(1000).fill(9), 1000, 3000);
      expect(statPath(file).size).toBe(4000);
      ftruncate(fd, 512);
    } finally {
      close(fd);
    }
    const a = statPath(file);
    expect(a.kind).toBe("regular");
    expect(a.size).toBe(512);
    expect(sameFile(a, statPath(join(dir.path, ".", "target.bin")))).toBe(true);
    expect(sameFile(a, statPath(dir.path))).toBe(false);
  });
});

describe("syncfs", () => {
  test("a directory's filesystem is synced; a file is not a directory; a bad fd is EBADF", () => {
    const fd = openDirectoryRaw(dir.path);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(syncfsRaw(fd)).toBe(0);
    close(fd);
    const file = join(dir.path, "not-a-dir");
    writeFileSync(file, "x");
    expect(errnoName(openDirectoryRaw(file))).toBe("ENOTDIR");
    expect(errnoName(openDirectoryRaw(join(dir.path, "missing")))).toBe("ENOENT");
    expect(errnoName(syncfsRaw(-1))).toBe("EBADF");
  });
});

describe("sendfile", () => {
  const data = new Uint8Array(100_000).map((_, i) => (i * 31 + 7) & 0xff);
  test("copies a range into a file and into a pipe; a pipe as the source is ESPIPE", () => {
    const src = join(dir.path, "sendfile-src");
    writeFileSync(src, data);
    const inFd = openSource(src);
    try {
      const out = join(dir.path, "sendfile-dst");
      const outFd = openSync(out, "w");
      expect(sendfileRaw(outFd, inFd, 1000, 50_000)).toBe(50_000);
      closeSync(outFd);
      expect(Buffer.from(readFileSync(out)).equals(Buffer.from(data.subarray(1000, 51_000)))).toBe(true);
      // Past the end: short, then 0.
      const tail = openSync(join(dir.path, "sendfile-tail"), "w");
      expect(sendfileRaw(tail, inFd, 99_000, 5000)).toBe(1000);
      expect(sendfileRaw(tail, inFd, 100_000, 5000)).toBe(0);
      closeSync(tail);
      // A pipe from libc: what sendfile writes into it comes out at the other end.
      const libc = dlopen("libc.so.6", { pipe: { args: [FFIType.ptr], returns: FFIType.i32 } });
      const ends = new Int32Array(2);
      expect(libc.symbols.pipe(ends)).toBe(0);
      expect(sendfileRaw(ends[1]!, inFd, 0, 4096)).toBe(4096);
      const back = new Uint8Array(4096);
      expect(readSync(ends[0]!, back)).toBe(4096);
      expect(Buffer.from(back).equals(Buffer.from(data.subarray(0, 4096)))).toBe(true);
      // A pipe has no offsets to send from.
      expect(errnoName(sendfileRaw(ends[1]!, ends[0]!, 0, 10))).toBe("ESPIPE");
      closeSync(ends[0]!);
      closeSync(ends[1]!);
      libc.close();
    } finally {
      close(inFd);
    }
    expect(errnoName(sendfileRaw(1, -1, 0, 10))).toBe("EBADF");
  });
});
