// The read-ahead pool (src/io/read-pool.ts): planned reads come back in order with the
// bytes a plain read gives, read by the reader thread as well as the caller; anything not
// planned is left to the caller; errors and short reads come back as Source.read says them;
// the free walk gives the same fragments, bytes and counts with and without it.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSource } from "../../src/io/file-source.ts";
import { ReadPool, readPoolFor } from "../../src/io/read-pool.ts";
import { findSuperblock } from "../../src/ffs/superblock.ts";
import { walkFree, type WalkOptions } from "../../src/ffs/free-walk.ts";
import { MemorySource } from "../../src/io/memory-source.ts";
import { fixtureBytes } from "../ffs/fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "salvage-read-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `size` bytes where every 4-byte word holds its own offset. */
function numberedFile(name: string, size: number): string {
  const data = new Uint8Array(size);
  const view = new DataView(data.buffer);
  for (let i = 0; i + 4 <= size; i += 4) view.setUint32(i, i, true);
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe("ReadPool", () => {
  const chunk = 64 * 1024;
  const size = 40 * chunk + 1000; // the last read is short
  const path = numberedFile("numbered.bin", size);

  test("planned reads come back in order with the file's bytes; the reader thread reads some of them", async () => {
    const source = new FileSource(path);
    const pool = readPoolFor(source, chunk)!;
    expect(pool).not.toBeNull();
    const reads: Array<[number, number]> = [];
    for (let at = 0; at < size + chunk; at += chunk) reads.push([at, chunk]);
    pool.plan(reads);
    // The reader starts in the background; give it time to take the first requests.
    await Bun.sleep(200);
    const plain = new Uint8Array(chunk);
    for (const [at, length] of reads) {
      const r = pool.take(at, length)!;
      expect(r).not.toBeNull();
      const want = source.read(plain, length, at);
      expect(r.got).toBe(want);
      expect(Buffer.compare(Buffer.from(r.buf.subarray(0, Math.max(0, want))), Buffer.from(plain.subarray(0, Math.max(0, want))))).toBe(0);
    }
    expect(pool.readHere).toBeLessThan(reads.length);
    pool.close();
    source.close();
  });

  test("a read that was not planned is the caller's; the planned ones are still served after it", () => {
    const source = new FileSource(path);
    const pool = new ReadPool(source, chunk);
    pool.plan([[0, chunk], [chunk, chunk]]);
    expect(pool.take(5 * chunk, chunk)).toBeNull();
    expect(pool.take(0, chunk)!.got).toBe(chunk);
    expect(pool.take(chunk, 100)).toBeNull(); // same place, other length: not what was planned
    const second = pool.take(chunk, chunk)!;
    expect(new DataView(second.buf.buffer, second.buf.byteOffset).getUint32(0, true)).toBe(chunk);
    expect(pool.take(2 * chunk, chunk)).toBeNull(); // nothing planned any more
    pool.close();
    source.close();
  });

  test("an error comes back as -errno, as Source.read gives it", () => {
    // pread(2) on a directory fails with EISDIR (21).
    const source = new FileSource(dir);
    const pool = new ReadPool(source, chunk);
    pool.plan([[0, chunk]]);
    expect(pool.take(0, chunk)!.got).toBe(-21);
    pool.close();
    source.close();
  });

  test("a plan larger than the slots is refused, never truncated", () => {
    const source = new FileSource(path);
    const pool = new ReadPool(source, chunk);
    expect(() => pool.plan([[0, chunk + 1]])).toThrow(RangeError);
    pool.close();
    source.close();
  });

  test("only regular files without O_DIRECT get a pool: a failing device is read by one reader", () => {
    expect(readPoolFor(new MemorySource(new Uint8Array(4096)), chunk)).toBeNull();
    const direct = new FileSource(path, { direct: true });
    expect(readPoolFor(direct, chunk)).toBeNull();
    direct.close();
  });
});

describe("the free walk with a read pool", () => {
  function walkFile(path: string, options: WalkOptions) {
    const source = new FileSource(path);
    const sb = findSuperblock(source);
    const frags: number[] = [];
    const bytes: Buffer[] = [];
    const problems: Array<[number, number, number]> = [];
    const stats = walkFree(source, sb, {
      fragments(buf, count, frag) {
        frags.push(frag, count);
        bytes.push(Buffer.from(buf.subarray(0, count * sb.raw.fsize)));
      },
      unreadable: (frag, count, errno) => problems.push([frag, count, errno]),
      groupError: () => undefined,
    }, { chunkBytes: 16 * 1024, ...options });
    source.close();
    return { frags, bytes: Buffer.concat(bytes), problems, stats };
  }

  for (const name of ["deleted_ufs1_le.img.gz", "makefs_ufs2_be.img.gz"]) {
    test(`${name}: the same fragments, bytes and counts as without it`, () => {
      const path = join(dir, name.replace(/\.gz$/, ""));
      writeFileSync(path, fixtureBytes(name));
      const plain = walkFile(path, { readAhead: false });
      const pooled = walkFile(path, {});
      expect(plain.stats.passedFragments).toBeGreaterThan(0);
      expect(pooled.stats).toEqual(plain.stats);
      expect(pooled.frags).toEqual(plain.frags);
      expect(pooled.bytes.equals(plain.bytes)).toBe(true);
    });
  }

  test("a truncated image: the missing fragments are reported the same way", () => {
    const whole = fixtureBytes("deleted_ufs1_le.img.gz");
    const path = join(dir, "truncated.img");
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.6) + 300));
    const plain = walkFile(path, { readAhead: false, keepUniform: true });
    const pooled = walkFile(path, { keepUniform: true });
    expect(plain.stats.missingFragments).toBeGreaterThan(0);
    expect(pooled.stats).toEqual(plain.stats);
    expect(pooled.problems).toEqual(plain.problems);
    expect(pooled.bytes.equals(plain.bytes)).toBe(true);
  });
});
