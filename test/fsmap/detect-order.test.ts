// Which places the parsers look at, in which order: UFS at its usual superblock places
// first, the other filesystems at theirs, and UFS's rare piggy-back place (256 KiB) last.
// rescue --used-first reads whatever a probe asks for, and a read inside a bad area costs
// a failed read before any metadata is rescued.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { findUsedSpace } from "../../src/fsmap/find.ts";
import { filesystemParsers } from "../../src/fsmap/registry.ts";
import type { ReadBytes } from "../../src/fsmap/types.ts";
import { extImagePath, imageReader } from "./ext-cases.ts";
import { fsFixtureBytes, fsFixtures } from "./fixtures.ts";

const PIGGY_MAGIC = 262144 + 1372;

function recording(bytes: Uint8Array): { read: ReadBytes; asked: Array<[number, number]> } {
  const inner = imageReader(bytes);
  const asked: Array<[number, number]> = [];
  return { asked, read: (offset, length) => (asked.push([offset, offset + length]), inner(offset, length)) };
}

const touches = (asked: Array<[number, number]>, at: number) => asked.some(([a, b]) => a <= at && at < b);

describe("UFS's piggy-back superblock place is read only when nothing else is found", () => {
  const images: Array<[string, Uint8Array]> = [
    ["ext4-64bit", new Uint8Array(readFileSync(extImagePath("ext4-64bit")))],
    ...fsFixtures.filter((f) => ["fat16", "ntfs", "exfat"].includes(f.name)).map((f): [string, Uint8Array] => [f.name, fsFixtureBytes(f)]),
  ];
  for (const [name, bytes] of images) {
    test(`${name}: mapped without a read at 256 KiB`, () => {
      const { read, asked } = recording(bytes);
      const u = findUsedSpace(read, bytes.length);
      expect(u.filesystems.length).toBe(1);
      expect(touches(asked, PIGGY_MAGIC)).toBe(false);
    });
  }

  test("a UFS whose only superblock magic is at 256 KiB is still taken for UFS; beside another filesystem's signature, that one wins", () => {
    const disk = new Uint8Array(1 << 20);
    new DataView(disk.buffer).setUint32(PIGGY_MAGIC, 0x00011954, true);
    const volume = { start: 0, length: disk.length, label: "whole disk" };
    expect(filesystemParsers.find((p) => p.detect(imageReader(disk), volume))?.name).toBe("ufs");
    // An ext superblock at 1024 as well.
    const ext = new Uint8Array(readFileSync(extImagePath("ext4-64bit")));
    disk.set(ext.subarray(1024, 2048), 1024);
    expect(filesystemParsers.find((p) => p.detect(imageReader(disk), volume))?.name).toBe("ext");
  });
});
