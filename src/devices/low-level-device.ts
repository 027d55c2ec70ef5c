// What safecopy's -L does below the filesystem, per medium: a CD or DVD drive is reset
// after a read error and a CD can be read through raw frames; a floppy controller is
// reset and "twaddled" (motor off/on, which makes the drive recalibrate). Every ioctl
// failure is reported once and the action is dropped: normal reads go on, never an abort.
import { Errno, errnoName } from "../native/errors.ts";
import { close, openSourceRaw } from "../native/io.ts";
import type { CdLayout } from "./cd-layout.ts";
import { CdRawReader } from "./cd-raw-reader.ts";
import type { DeviceIoctls } from "./ioctls.ts";
import type { Medium } from "./medium.ts";
import { lbaToMsf } from "./msf.ts";

/** Where device messages go: successful ioctls are debug lines, failures warnings. */
export interface Log {
  debug(line: string): void;
  warn(line: string): void;
}

export const silentLog: Log = { debug() {}, warn() {} };

/** Plain reads through the engine's own source, and its reopen-after-error. */
export interface BaseReader {
  read(buf: Uint8Array, length: number, offset: number): number;
  reopen(): void;
}

export interface LowLevelDevice {
  readonly medium: Medium;
  /** safecopy's stderr line announcing the low-level access, or null for plain devices. */
  readonly banner: string | null;
  /** Block size and byte size a CD must be read with in raw mode; null: unchanged. */
  readonly sectorSize: number | null;
  readonly size: number | null;
  /** The low-level read: raw frames on a CD, read + twaddle retry on a floppy, plain elsewhere. */
  read(base: BaseReader, buf: Uint8Array, length: number, offset: number): number;
  /** Reset the drive after a failed read; the caller reopens its source afterwards. */
  afterReadError(): void;
  close(): void;
}

/** A device with nothing below the block layer: every call is the plain one. */
export class PlainDevice implements LowLevelDevice {
  readonly banner = null;
  readonly sectorSize = null;
  readonly size = null;
  constructor(readonly medium: Medium) {}
  read(base: BaseReader, buf: Uint8Array, length: number, offset: number): number {
    return base.read(buf, length, offset);
  }
  afterReadError(): void {}
  close(): void {}
}

/** Shared by the drive classes: an ioctl descriptor and "warn once, then stop trying". */
abstract class IoctlDevice {
  private disabled = new Set<string>();
  constructor(
    protected readonly io: DeviceIoctls,
    protected fd: number,
    protected readonly path: string,
    protected readonly log: Log,
  ) {}

  /** Run an ioctl; on failure say so once and skip it from then on. True on success. */
  protected attempt(name: string, call: () => number): boolean {
    if (this.disabled.has(name) || this.fd < 0) return false;
    const r = call();
    if (r >= 0) {
      this.log.debug(`${this.path}: ${name} ok`);
      return true;
    }
    this.disabled.add(name);
    this.log.warn(`${this.path}: ${name} failed (${errnoName(r)}); continuing with normal reads`);
    return false;
  }

  close(): void {
    if (this.fd >= 0) close(this.fd);
    this.fd = -1;
  }
}

export class CdDevice extends IoctlDevice implements LowLevelDevice {
  readonly banner: string;
  readonly sectorSize: number | null;
  readonly size: number | null;
  private readonly raw: CdRawReader | null;
  private rawFailed = false;

  constructor(readonly medium: Medium & { kind: "cd" | "dvd" }, layout: CdLayout | null, io: DeviceIoctls, fd: number, path: string, log: Log) {
    super(io, fd, path, log);
    // CDROM_LAST_WRITTEN is taken as a sector count, as safecopy does: when the kernel
    // falls back to the TOC it is the lead-out address, one past the last data sector.
    const sectors = medium.lastWritten;
    if (layout && layout.sectorSize > 0) {
      this.sectorSize = layout.sectorSize;
      this.size = sectors === null ? null : sectors * layout.sectorSize;
      this.raw = new CdRawReader(layout, (lba, frame) => this.io.cdReadRaw(this.fd, lbaToMsf(lba), frame), this.size);
      this.banner = `CDROM ${layout.name} - low level access: drive reset, raw read`;
    } else {
      this.sectorSize = this.size = null;
      this.raw = null;
      this.banner = medium.kind === "dvd" ? "DVD low level access: drive reset" : `CDROM ${layout?.name ?? "unknown disc"} - low level access: drive reset`;
    }
  }

  read(base: BaseReader, buf: Uint8Array, length: number, offset: number): number {
    if (!this.raw || this.rawFailed) return base.read(buf, length, offset);
    const r = this.raw.read(buf, length, offset);
    // A drive that refuses the raw read command altogether (EINVAL, ENOSYS, ENOTTY) is
    // not a bad sector: say so once and read the normal way from then on.
    if (r === -Errno.EINVAL || r === -Errno.ENOSYS || r === -Errno.ENOTTY) {
      this.rawFailed = true;
      this.log.warn(`${this.path}: CDROMREADRAW not supported (${errnoName(r)}); continuing with normal reads`);
      return base.read(buf, length, offset);
    }
    return r;
  }

  afterReadError(): void {
    this.attempt("CDROMRESET", () => this.io.cdReset(this.fd));
  }
}

export class FloppyDevice extends IoctlDevice implements LowLevelDevice {
  readonly banner = "Floppy low level access: drive reset, twaddle ioctl";
  readonly sectorSize = null;
  readonly size = null;

  constructor(readonly medium: Medium & { kind: "floppy" }, io: DeviceIoctls, controlFd: number, path: string, log: Log) {
    super(io, controlFd, path, log);
  }

  /** A read that fails with EIO gets one more chance after reset, reopen and twaddle. */
  read(base: BaseReader, buf: Uint8Array, length: number, offset: number): number {
    const r = base.read(buf, length, offset);
    if (r !== -Errno.EIO) return r;
    this.attempt("FDRESET", () => this.io.floppyReset(this.fd));
    base.reopen();
    this.attempt("FDTWADDLE", () => this.io.floppyTwaddle(this.fd));
    return base.read(buf, length, offset);
  }

  afterReadError(): void {
    this.attempt("FDRESET", () => this.io.floppyReset(this.fd));
  }
}

/** The low-level device for a path: detected medium, its own ioctl descriptor. */
export function openLowLevelDevice(path: string, medium: Medium, io: DeviceIoctls, log: Log): LowLevelDevice {
  if (medium.kind === "cd" || medium.kind === "dvd") {
    const fd = openSourceRaw(path, { nonblock: true });
    if (fd < 0) return warnPlain(medium, log, `${path}: cannot open for CD-ROM ioctls (${errnoName(fd)}); using normal reads`);
    return new CdDevice(medium, medium.kind === "cd" ? medium.layout : null, io, fd, path, log);
  }
  if (medium.kind === "floppy") {
    const fd = io.openControl(path);
    if (fd < 0) return warnPlain(medium, log, `${path}: cannot open the floppy controller read-write (${errnoName(fd)}); reset and twaddle disabled`);
    return new FloppyDevice(medium, io, fd, path, log);
  }
  return new PlainDevice(medium);
}

function warnPlain(medium: Medium, log: Log, line: string): LowLevelDevice {
  log.warn(line);
  return new PlainDevice(medium);
}
