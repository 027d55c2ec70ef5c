// The runner's contact points with the system: probing the source for the header, the
// source = destination guard, opening the destination the way safecopy does, and the
// external seek script (argv array, never a shell).
import { openTarget, describeErrno, lseekRaw, SEEK_END, close as closeFd, fdatasync } from "../../native/io.ts";
import { NativeError } from "../../native/errors.ts";
import { sameFile, statFd, statPath, type FileStat } from "../../native/stat.ts";
import type { LowLevelDevice } from "../../io/low-level-device.ts";
import { openRescueSource } from "../../io/open-rescue-source.ts";
import type { Settings, SourceProbe } from "./settings.ts";
import type { RunnerIo, VirtualSource } from "./runner.ts";
import { usage } from "./help.ts";
import { StorageGraph } from "../../io/storage-identity.ts";
import { samePlace } from "../write-guard.ts";
import { outputMode } from "../../util/output-mode.ts";

function tryStat(path: string): FileStat | null {
  try {
    return statPath(path);
  } catch (e) {
    if (e instanceof NativeError) return null;
    throw e;
  }
}

export function isBlockDevice(path: string): boolean {
  return tryStat(path)?.kind === "block";
}

export function probeSource(virtual: (p: string) => VirtualSource | null, lowLevel: LowLevelDevice): SourceProbe {
  return {
    // The simulator's `debug` is no file: stat fails there, like under safecopy's LD_PRELOAD simulator.
    stat: (path) => {
      if (virtual(path)) return null;
      const st = tryStat(path);
      // stat() says 0 bytes for a block device; safecopy then asks lseek (seekSize below).
      return st ? { size: st.size, blksize: st.blksize } : null;
    },
    seekSize: (path) => {
      const v = virtual(path);
      if (v) return v.size;
      const s = openRescueSource(path);
      if (typeof s === "number") return 0;
      const size = s.size ?? 0;
      s.close();
      return size;
    },
    lowLevel: (path, size, blksize) => {
      const r = lowLevel.probe?.(path, size, blksize) ?? {};
      return { size: r.size ?? size, blksize: r.blockSize ?? blksize };
    },
  };
}

/** One line and exit 2 when the destination is the source itself (same device and inode). */
export function refuseSameFile(source: string, dest: string): string | null {
  const a = tryStat(source);
  const b = tryStat(dest);
  if (!a || !b || !sameFile(a, b)) return null;
  return `Error: source and destination are the same file: ${dest}\n`;
}

/**
 * Beyond safecopy: the destination (or the -o/-T file) must not reach the source under
 * another name (a second device node, a loop device, a partition, the filesystem the
 * source holds), and the destination must not be mounted or swap. One line, exit 2 like
 * a destination safecopy cannot open (docs/compat.md).
 */
export function refuseOverwrite(s: Settings): string | null {
  const same = refuseSameFile(s.source, s.dest);
  if (same) return same;
  const graph = new StorageGraph();
  const why = graph.overlap(s.source, s.dest);
  if (why) return `Error: destination ${s.dest} would overwrite the source ${s.source} (${why})\n`;
  const busy = graph.inUse(s.dest);
  if (busy) return `Error: destination ${s.dest} is in use (${busy}); refusing to write onto it\n`;
  for (const [what, path] of [["badblock file", s.badblocksFile], ["timing file", s.timingFile]] as const) {
    // /dev/null for everything is fine: a character device is not storage.
    if (path === null || graph.node(path)?.key.startsWith("c:")) continue;
    for (const [role, other] of [["source", s.source], ["destination", s.dest]] as const) {
      if (samePlace(path, other, graph) || (role === "source" && graph.overlap(other, path)))
        return `Error: ${what} ${path} would overwrite the ${role} ${other}\n`;
    }
  }
  return null;
}

export interface Destination {
  fd: number;
  /** Old size for incremental runs (-c N·i, else the file's size), 0 otherwise. */
  targetSize: number;
  sync(): void;
  close(): void;
}

/** Incremental: must exist, never truncated. Otherwise created and emptied (never a device). */
export function openDestination(s: Settings, incremental: boolean, io: RunnerIo, program: string): Destination | number {
  const existing = tryStat(s.dest);
  const device = existing?.kind === "block" || existing?.kind === "char";
  let fd: number;
  try {
    fd = openTarget(s.dest, incremental ? {} : { create: true, truncate: !device, mode: outputMode() });
  } catch (e) {
    if (!(e instanceof NativeError)) throw e;
    io.err(`Error opening destination: ${s.dest} : ${describeErrno(e.errno)}\n`);
    if (io.human) io.err(usage(program));
    return 2;
  }
  let targetSize = 0;
  if (incremental) {
    targetSize = s.continueSize;
    if (!targetSize) targetSize = statFd(fd, s.dest).size;
    if (!targetSize) {
      io.err("Destination filesize not reported by stat(), trying seek().\n");
      targetSize = Math.max(0, lseekRaw(fd, 0, SEEK_END));
    }
    if (!targetSize) io.err("Error determining destination file size, cannot resume!");
    else io.out(`Current destination size: ${targetSize}\n`);
  }
  return {
    fd,
    targetSize,
    sync: () => {
      // Devices and regular files alike: the data must be on disk before we say "Done!".
      try {
        fdatasync(fd, s.dest);
      } catch {
        /* fdatasync is unsupported on some character devices (/dev/null) */
      }
    },
    close: () => closeFd(fd),
  };
}

/** Run the -S script as `script blocks blocksize position`; its exit status is the blocks skipped. */
export function runSeekScript(script: string, blocks: number, blockSize: number, position: number): number {
  try {
    const r = Bun.spawnSync([script, String(blocks), String(blockSize), String(position)], { stdout: "inherit", stderr: "inherit" });
    return r.exitCode ?? 0;
  } catch {
    // safecopy took a failed exec (child status 254) as "254 blocks skipped"; a failure is a failure.
    return 0;
  }
}
