// Choosing and opening the low-level device for a source path (-L 1 and 2).
import { errnoName } from "../native/errors.ts";
import { close, openSourceRaw } from "../native/io.ts";
import { statFd } from "../native/stat.ts";
import { nativeIoctls, type DeviceIoctls } from "./ioctls.ts";
import { CdDevice, FloppyDevice, PlainDevice, type DeviceLowLevel, type Log } from "./low-level-device.ts";
import { probeMedium } from "./probe-medium.ts";

/**
 * The low-level device for `path`. Never throws: when the path cannot be opened, plain
 * reads are used silently (the caller reports its own open error); when a drive's ioctl
 * descriptor cannot be had, the reason is logged and plain reads are used.
 * CD ioctls go through a read-only descriptor of their own, so the runner can close
 * and reopen its source freely; the floppy needs a read-write one (see csrc/floppy.c).
 */
export function openLowLevelDevice(path: string, log: Log, io: DeviceIoctls = nativeIoctls): DeviceLowLevel {
  const fd = openSourceRaw(path, { nonblock: true });
  // Not openable: the runner reports that itself when it opens the source.
  if (fd < 0) return new PlainDevice({ kind: "file" });
  let keep = false;
  try {
    const isBlock = statFd(fd, path).kind === "block";
    const medium = isBlock ? probeMedium(path, fd, io) : ({ kind: "file" } as const);
    if (medium.kind === "cd" || medium.kind === "dvd") {
      keep = true;
      return new CdDevice(medium, io, fd, path, log);
    }
    if (medium.kind === "floppy") {
      const control = io.openControl(path);
      if (control >= 0) return new FloppyDevice(medium, io, control, path, log);
      log.warn(`${path}: cannot open the floppy controller read-write (${errnoName(control)}); reset and twaddle disabled`);
    }
    return new PlainDevice(medium);
  } catch (e) {
    log.warn(`${path}: device detection failed (${e instanceof Error ? e.message : String(e)}); using normal reads`);
    return new PlainDevice({ kind: "file" });
  } finally {
    if (!keep) close(fd);
  }
}

