// AGED test disks for bench-used-first.ts. The packed disks of bench-used-first-images.ts are
// filled by mkfs/makefs/mcopy/ntfscp in one go, so the files lie at the front, where a plain
// rescue reads them first anyway. A disk that has been in use looks different: the kernel's
// allocator spreads directories over the block groups (ext4's Orlov allocator, mballoc), and
// files written and deleted over many sessions leave holes that later files fill. Here the empty
// filesystem comes from the real mkfs, and the real drivers write it: it is attached with
// losetup and mounted once per round ("session"); a round tops the live files up to the target
// (~28 % of the disk) in several top-level directories, and between rounds a seeded share of
// the files is deleted (churn). Remounting per round matters: the FAT driver starts each
// session's cluster search afresh, so later rounds fill the holes earlier rounds left.
//
// Deterministic as far as the kernel allows: the plan (names, sizes, content, deletions) is a
// pure function of the seed, and so are the ext4 UUID and directory hash seed (Orlov places
// top-level directories by that hash). Where blocks land still depends on the kernel's
// writeback (mballoc's per-CPU preallocation groups, flusher timing), so two runs of the same
// seed may differ in detail, not in kind.
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ByteRange } from "../src/fsmap/types.ts";
import { fillContent, rng } from "../src/sim/random.ts";
import { run, searchPath } from "./bench-used-first-images.ts";

export const agedFilesystems = ["ext4-aged", "fat-aged", "ntfs-aged"] as const;
export type AgedFs = (typeof agedFilesystems)[number];
export const isAged = (fs: string): fs is AgedFs => (agedFilesystems as readonly string[]).includes(fs);

/** One session: the files written (in order), then the files deleted before the next session. */
export interface ChurnRound {
  writes: { path: string; size: number; contentSeed: number }[];
  deletes: string[];
}

/** The whole history of an aged disk: `rounds` sessions, each writing files (1 KiB-4 MiB,
 *  log-uniform, in 7 top-level directories, some with a subdirectory) until the live files
 *  total `target` bytes, then (but after the last) deleting each live file with probability
 *  `deleteShare`. Pure function of its arguments. */
export function churnPlan(target: number, seed: number, rounds = 5, deleteShare = 0.5): ChurnRound[] {
  const r = rng(seed);
  const live = new Map<string, number>();
  let liveBytes = 0;
  let n = 0;
  const plan: ChurnRound[] = [];
  for (let round = 0; round < rounds; round++) {
    const step: ChurnRound = { writes: [], deletes: [] };
    while (liveBytes < target) {
      const dir = Math.floor(r() * 7);
      const sub = r() < 0.4 ? `/e${Math.floor(r() * 3)}` : "";
      const size = Math.max(1, Math.min(target - liveBytes, Math.round(1024 * Math.pow(4096, r()))));
      const path = `d${dir}${sub}/f${n}.bin`;
      step.writes.push({ path, size, contentSeed: seed * 100_003 + n });
      live.set(path, size);
      liveBytes += size;
      n++;
    }
    if (round < rounds - 1) {
      for (const [path, size] of live) {
        if (r() >= deleteShare) continue;
        step.deletes.push(path);
        live.delete(path);
        liveBytes -= size;
      }
    }
    plan.push(step);
  }
  return plan;
}

/** Share of the bytes of `ranges` (sorted, disjoint) in each of `parts` equal slices of [0, size). */
export function spreadOf(ranges: readonly ByteRange[], size: number, parts = 8): number[] {
  const bytes = new Array<number>(parts).fill(0);
  const slice = size / parts;
  for (const { start, length } of ranges) {
    let pos = start;
    const end = Math.min(start + length, size);
    while (pos < end) {
      const i = Math.min(parts - 1, Math.floor(pos / slice));
      const stop = Math.min(end, (i + 1) * slice);
      bytes[i]! += stop - pos;
      pos = stop;
    }
  }
  const total = bytes.reduce((a, b) => a + b, 0);
  return bytes.map((b) => (total ? b / total : 0));
}

const mkfsOf: Record<AgedFs, string> = { "ext4-aged": "mkfs.ext4", "fat-aged": "mkfs.vfat", "ntfs-aged": "mkntfs" };
/** The driver that writes each aged disk: the type name for mount(8) (FAT falls back to fusefat). */
const driverOf: Record<AgedFs, string> = { "ext4-aged": "ext4", "fat-aged": "vfat", "ntfs-aged": "ntfs-3g" };

function kernelKnows(type: string): boolean {
  try {
    return readFileSync("/proc/filesystems", "utf8").split("\n").some((l) => l.split("\t")[1] === type);
  } catch {
    return false;
  }
}

/** Why this machine cannot make `fs` (one line), or null when it can. */
export function agedSkipReason(fs: AgedFs): string | null {
  const tools = [mkfsOf[fs], "losetup", "mount", "umount", ...(fs === "ntfs-aged" ? ["mount.ntfs-3g"] : [])];
  const lacking = tools.filter((t) => !Bun.which(t, { PATH: searchPath }));
  if (lacking.length) return `${lacking.join(", ")} not installed`;
  if (process.getuid?.() !== 0) return "mounting a loop device needs root";
  if (!existsSync("/dev/loop-control")) return "no loop devices (/dev/loop-control)";
  if (fs === "ntfs-aged" && !existsSync("/dev/fuse")) return "no /dev/fuse for ntfs-3g";
  if (fs === "ext4-aged" && !kernelKnows("ext4")) return "this kernel has no ext4 driver (/proc/filesystems)";
  if (fs === "fat-aged" && !kernelKnows("vfat") && !Bun.which("fusefat", { PATH: searchPath }))
    return "this kernel has no vfat driver (/proc/filesystems) and fusefat is not installed";
  return null;
}

function mkfs(fs: AgedFs, image: string, size: number, seed: number): void {
  rmSync(image, { force: true });
  writeFileSync(image, "");
  run(["truncate", "-s", String(size), image]);
  const hex = (seed >>> 0).toString(16).padStart(12, "0");
  switch (fs) {
    case "ext4-aged": {
      // 4 KiB blocks as the packed ext4, but 2048 blocks (8 MiB) per group and 2 groups per
      // flex group: a 64 MiB disk gets 4 flex groups for Orlov to spread the top-level
      // directories over (with mkfs's defaults it has one group, one flex group, nothing to
      // spread), as a 2 TB disk has a thousand flex groups of 2 GiB.
      // resize= keeps the GDT blocks reserved for growth near the packed ext4's (2.5 MiB else).
      const uuid = `5a1a9e00-0000-4000-8000-${hex}`;
      run(["mkfs.ext4", "-q", "-F", "-b", "4096", "-g", "2048", "-G", "2", "-U", uuid, "-E", `hash_seed=${uuid},resize=1048576`, image]);
      break;
    }
    case "fat-aged":
      run(["mkfs.vfat", "-i", hex.slice(-8), image]);
      break;
    case "ntfs-aged":
      run(["mkntfs", "-F", "-Q", "-q", image]);
      break;
  }
}

/** One mount session on `image`: losetup, mount at a private directory, `body(mountPoint)`,
 *  sync, unmount, detach; unmount and detach happen whatever `body` does. */
function session(fs: AgedFs, image: string, body: (mnt: string) => void): void {
  const mnt = mkdtempSync(join(tmpdir(), "salvage-aged-"));
  let loop = "";
  let mounted = false;
  try {
    if (fs === "fat-aged" && !kernelKnows("vfat")) {
      // No vfat in this kernel (a container's kernel may lack it): the FUSE driver fusefat.
      run(["fusefat", "-o", "rw+", image, mnt]);
    } else {
      loop = run(["losetup", "--find", "--show", image]).trim();
      const options = fs === "ext4-aged" ? ["-o", "noinit_itable"] : [];
      run(["mount", "-t", driverOf[fs], ...options, loop, mnt]);
    }
    mounted = true;
    body(mnt);
    run(["sync", "-f", mnt]);
  } finally {
    if (mounted) run(["umount", mnt]);
    if (loop) run(["losetup", "-d", loop]);
    rmSync(mnt, { recursive: true, force: true });
  }
}

/** Make `image` (size bytes): an empty `fs` by the real mkfs, aged by `churnPlan(target, seed)`
 *  written through the real driver. Returns the files live at the end. */
export function makeAgedImage(fs: AgedFs, image: string, size: number, target: number, seed: number): number {
  mkfs(fs, image, size, seed);
  const plan = churnPlan(target, seed);
  let live = 0;
  for (const round of plan) {
    session(fs, image, (mnt) => {
      for (const w of round.writes) {
        const path = join(mnt, w.path);
        mkdirSync(dirname(path), { recursive: true });
        const data = new Uint8Array(Math.ceil(w.size / 4) * 4);
        fillContent(data, 0, w.contentSeed);
        writeFileSync(path, data.subarray(0, w.size));
      }
      live += round.writes.length;
      // Flush before deleting: files that die in the page cache would never reach the disk.
      run(["sync", "-f", mnt]);
      for (const d of round.deletes) rmSync(join(mnt, d));
      live -= round.deletes.length;
    });
  }
  return live;
}

/** The bytes the filesystem's own tool counts as allocated (ext: dumpe2fs -h, block count -
 *  free blocks; FAT: fsck.fat -n -v, clusters in use; NTFS: ntfscluster -i, volume - free
 *  space), to set beside `salvage map used`'s allocated bytes; null for other filesystems,
 *  when the tool is missing, or when its output is not as expected. */
export function ownToolAllocated(fs: string, image: string): { tool: string; bytes: number } | null {
  const kind = fs.replace(/-aged$/, "");
  const tool = ({ ext4: "dumpe2fs", fat: "fsck.fat", ntfs: "ntfscluster" } as Record<string, string>)[kind];
  if (!tool || !Bun.which(tool, { PATH: searchPath })) return null;
  const args = { ext4: ["-h"], fat: ["-n", "-v"], ntfs: ["-i"] }[kind as "ext4" | "fat" | "ntfs"];
  const p = Bun.spawnSync([tool, ...args, image], { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, PATH: searchPath } });
  const out = p.stdout.toString();
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
  const bytes =
    kind === "ext4" ? (num(/^Block count:\s+(\d+)$/m) - num(/^Free blocks:\s+(\d+)$/m)) * num(/^Block size:\s+(\d+)$/m)
    : kind === "fat" ? num(/, (\d+)\/\d+ clusters$/m) * num(/^\s*(\d+) bytes per cluster$/m)
    : num(/^bytes per volume\s*:\s*(\d+)$/m) - num(/^bytes of free space\s*:\s*(\d+)$/m);
  return Number.isFinite(bytes) ? { tool, bytes } : null;
}
