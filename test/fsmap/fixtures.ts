// The FAT, exFAT and NTFS images of test/fixtures/fsmap (provenance in each directory's
// README.md, made by scripts/make-fat-ntfs-fixtures.ts), unpacked once per test process, and
// the used-space map salvage draws from one.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { usesRecording } from "../helpers/needs.ts";
import { scratchDir } from "../ffs/fixtures.ts";
import { filesystemParsers } from "../../src/fsmap/registry.ts";
import type { ByteRange, ReadBytes, UsedSpace, Volume } from "../../src/fsmap/types.ts";

export const fsFixtureDir = resolve(import.meta.dir, "../fixtures/fsmap");

export interface FsFixture {
  /** File name without .img.gz. */
  name: string;
  dir: "fat" | "exfat" | "ntfs";
  /** The filesystem salvage should report, and TSK's -f type. */
  filesystem: "fat12" | "fat16" | "fat32" | "exfat" | "ntfs";
}

export const fsFixtures: FsFixture[] = [
  { name: "fat12", dir: "fat", filesystem: "fat12" },
  { name: "fat16", dir: "fat", filesystem: "fat16" },
  { name: "fat16-s4096", dir: "fat", filesystem: "fat16" },
  { name: "fat32", dir: "fat", filesystem: "fat32" },
  { name: "exfat", dir: "exfat", filesystem: "exfat" },
  { name: "exfat-c512", dir: "exfat", filesystem: "exfat" },
  { name: "ntfs", dir: "ntfs", filesystem: "ntfs" },
  { name: "ntfs-c512", dir: "ntfs", filesystem: "ntfs" },
];

const unpacked = new Map<string, string>();

/** Path of the uncompressed image. */
export function fsFixturePath(f: FsFixture): string {
  usesRecording("FAT/exFAT/NTFS fixture images (test/fixtures/fsmap)");
  let p = unpacked.get(f.name);
  if (!p) {
    p = join(scratchDir(), `${f.name}.img`);
    writeFileSync(p, Bun.gunzipSync(readFileSync(join(fsFixtureDir, f.dir, `${f.name}.img.gz`))));
    unpacked.set(f.name, p);
  }
  return p;
}

export const fsFixtureBytes = (f: FsFixture) => new Uint8Array(readFileSync(fsFixturePath(f)));

/** A read callback over bytes in memory: null past the end, as a short device read would be. */
export function memoryRead(img: Uint8Array, unreadable: ByteRange[] = []): ReadBytes {
  return (offset, length) => {
    if (offset < 0 || length < 0 || offset + length > img.length) return null;
    if (unreadable.some((r) => offset < r.start + r.length && r.start < offset + length)) return null;
    return img.subarray(offset, offset + length);
  };
}

export const wholeDisk = (img: Uint8Array): Volume => ({ start: 0, length: img.length, label: "whole disk" });

/** The map of the one parser that detects the volume. */
export function usedSpaceOf(read: ReadBytes, volume: Volume): UsedSpace {
  const found = filesystemParsers.filter((p) => p.detect(read, volume));
  if (found.length !== 1) throw new Error(`${found.length} parsers detect ${volume.label}: ${found.map((p) => p.name).join(", ")}`);
  return found[0]!.usedSpace(read, volume);
}

/** Unit numbers (unit = `unit` bytes, counted from `base`) covered by ranges, as a sorted list. */
export function unitsOf(ranges: ByteRange[], unit: number, base = 0): number[] {
  const out: number[] = [];
  for (const r of ranges) {
    const first = Math.floor((r.start - base) / unit);
    const end = Math.ceil((r.start - base + r.length) / unit);
    for (let u = first; u < end; u++) if (out.at(-1) !== u) out.push(u);
  }
  return out;
}
