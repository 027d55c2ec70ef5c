// Test disks for bench-used-first.ts: filesystems made by the real tools (makefs, mkfs.ext4,
// mkfs.vfat + mcopy, mkntfs + ntfscp), filled to about 30 % with real files: a tree of
// directories holding files of many sizes (1 KiB to 4 MiB, log-uniform), with seeded
// random content. A tool that is missing gives no disk (the bench says which).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fillContent } from "../src/sim/random.ts";
import { rng } from "../src/sim/random.ts";

/** ufs: makefs's defaults (32 KiB blocks, two large cylinder groups on 64 MiB: the files end up
 *  packed at the start); ufs4k: 4 KiB blocks, 512-byte fragments, so groups of ~13 MiB, over
 *  which FFS spreads the directories (and their files) as a kernel-written UFS does. */
export const filesystems = ["ufs", "ufs4k", "ext4", "fat", "ntfs"] as const;
export type Fs = (typeof filesystems)[number];

/** Tools each filesystem needs, looked up on the PATH (and sbin). */
const needs: Record<Fs, string[]> = { ufs: ["makefs"], ufs4k: ["makefs"], ext4: ["mkfs.ext4"], fat: ["mkfs.vfat", "mcopy"], ntfs: ["mkntfs", "ntfscp"] };
export const searchPath = `${process.env.PATH ?? ""}:/usr/sbin:/sbin`;

export function missingTools(fs: Fs): string[] {
  return needs[fs].filter((t) => !Bun.which(t, { PATH: searchPath }));
}

/** A tree of files totalling about `bytes`; returns the file paths (relative). */
export function makeTree(dir: string, bytes: number, seed: number): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = rng(seed);
  const files: string[] = [];
  let total = 0;
  for (let i = 0; total < bytes; i++) {
    const sub = `d${i % 7}${i % 3 === 0 ? `/e${i % 5}` : ""}`;
    mkdirSync(join(dir, sub), { recursive: true });
    const size = Math.min(bytes - total, Math.round(1024 * Math.pow(4096, r())));
    const data = new Uint8Array(Math.ceil(size / 4) * 4);
    fillContent(data, total, seed + i);
    const name = `${sub}/f${i}.bin`;
    writeFileSync(join(dir, name), data.subarray(0, size));
    files.push(name);
    total += size;
  }
  return files;
}

/** Runs a tool (PATH and sbin); its stdout, or an error with the start of its stderr. */
export function run(cmd: string[]): string {
  const p = Bun.spawnSync(cmd, { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, PATH: searchPath } });
  if (p.exitCode !== 0) throw new Error(`${cmd.join(" ")}: exit ${p.exitCode}: ${p.stderr.toString().slice(0, 400)}`);
  return p.stdout.toString();
}

/** Make `image` (size bytes) holding the tree `dir` with filesystem `fs`. */
export function makeImage(fs: Fs, image: string, size: number, dir: string, files: string[]): void {
  rmSync(image, { force: true });
  const mib = `${size / 2 ** 20}m`;
  switch (fs) {
    case "ufs":
      run(["makefs", "-t", "ffs", "-o", "version=2", "-s", mib, image, dir]);
      break;
    case "ufs4k":
      run(["makefs", "-t", "ffs", "-o", "version=2,bsize=4096,fsize=512", "-s", mib, image, dir]);
      break;
    case "ext4":
      run(["mkfs.ext4", "-q", "-F", "-b", "4096", "-d", dir, image, mib.toUpperCase()]);
      break;
    case "fat":
      run(["mkfs.vfat", "-C", image, String(size / 1024)]);
      run(["mcopy", "-s", "-i", image, ...readdirSync(dir).map((d) => join(dir, d)), "::/"]);
      break;
    case "ntfs": {
      writeFileSync(image, "");
      run(["truncate", "-s", String(size), image]);
      run(["mkntfs", "-F", "-Q", "-q", image]);
      // ntfscp writes into an unmounted volume; it makes no directories, so names are flattened.
      for (const f of files) run(["ntfscp", "-f", image, join(dir, f), f.replaceAll("/", "_")]);
      break;
    }
  }
}
