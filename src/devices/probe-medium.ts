// Medium detection for `salvage info` and the rescue commands, on a real device.
import { close, openSourceRaw, preadRaw } from "../native/io.ts";
import { nativeIoctls, type DeviceIoctls } from "./ioctls.ts";
import { detectMedium, type Medium } from "./medium.ts";

/**
 * Detect the medium behind `fd` (a block device opened read-only). A floppy needs one
 * blocking open: the driver checks for a changed disk only then, and until it has,
 * reads through O_NONBLOCK descriptors (safecopy's and ours) fail with EIO ("disk absent
 * or changed during operation"). An auto-detecting node (/dev/fd0) also reports its
 * geometry only after a first read (FDGETPRM says ENODEV), so one sector is read then.
 */
export function probeMedium(path: string, fd: number, io: DeviceIoctls = nativeIoctls): Medium {
  const medium = detectMedium(io, fd, true);
  if (medium.kind !== "floppy") return medium;
  const blocking = openSourceRaw(path);
  if (blocking < 0) return medium;
  try {
    if (medium.geometry) return medium;
    preadRaw(blocking, new Uint8Array(512), 512, 0);
    const g = io.floppyGeometry(blocking);
    return typeof g === "number" ? { ...medium, geometryError: -g } : { ...medium, geometry: g, geometryError: null };
  } finally {
    close(blocking);
  }
}

/**
 * The medium's own size where the block layer's is wrong: a floppy opened with
 * O_NONBLOCK reports 4096 bytes until its format is detected, and an empty CD drive
 * reports a made-up capacity (1 GiB under QEMU). Null: keep BLKGETSIZE64.
 */
export function mediumSize(m: Medium): number | null {
  if (m.kind === "cd-drive-empty") return 0;
  return m.kind === "floppy" && m.geometry ? m.geometry.sectors * 512 : null;
}
