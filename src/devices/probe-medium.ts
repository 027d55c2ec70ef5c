// Medium detection for `salvage info` and the rescue commands, on a real device.
import { close, openSourceRaw, preadRaw } from "../native/io.ts";
import { nativeIoctls, type DeviceIoctls } from "./ioctls.ts";
import { detectMedium, type Medium } from "./medium.ts";

/**
 * Detect the medium behind `fd` (a block device opened read-only). A floppy opened
 * with O_NONBLOCK has not had its format detected yet, so FDGETPRM says ENODEV; then a
 * blocking open and one sector read make the driver detect it, and geometry is asked again.
 */
export function probeMedium(path: string, fd: number, io: DeviceIoctls = nativeIoctls): Medium {
  const medium = detectMedium(io, fd, true);
  if (medium.kind !== "floppy" || medium.geometry) return medium;
  const blocking = openSourceRaw(path);
  if (blocking < 0) return medium;
  try {
    preadRaw(blocking, new Uint8Array(512), 512, 0);
    const g = io.floppyGeometry(blocking);
    return typeof g === "number" ? { ...medium, geometryError: -g } : { ...medium, geometry: g, geometryError: null };
  } finally {
    close(blocking);
  }
}

/**
 * The medium's own size where the block layer's is wrong: a floppy opened with
 * O_NONBLOCK reports 4096 bytes until its format is detected. Null: keep BLKGETSIZE64.
 */
export function mediumSize(m: Medium): number | null {
  return m.kind === "floppy" && m.geometry ? m.geometry.sectors * 512 : null;
}
