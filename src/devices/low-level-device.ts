// What safecopy's -L does below the filesystem, per medium: a CD or DVD drive is reset
// after a read error and a CD can be read through raw frames; a floppy controller is
// reset and "twaddled" (motor off and on, which makes the drive recalibrate). Every
// ioctl failure is reported once and the action dropped: normal reads go on, never an abort.
//
// The classes fit the runner's seam (src/io/low-level-device.ts): probe() at start-up,
// read() for low-level reads, afterReadError() before the source is reopened, canSeek().
import type { Source } from "../io/source.ts";
import { Errno, errnoName } from "../native/errors.ts";
import { close } from "../native/io.ts";
import type { CdLayout } from "./cd-layout.ts";
import { CdRawReader } from "./cd-raw-reader.ts";
import type { DeviceIoctls } from "./ioctls.ts";
import type { Medium } from "./medium.ts";
import { lbaToMsf } from "./msf.ts";

/** Where device messages go: announcements, successful ioctls (debug), failures (warnings). */
export interface Log {
  info(line: string): void;
  debug(line: string): void;
  warn(line: string): void;
}

export interface LowLevelProbe {
  blockSize?: number;
  size?: number;
}

export interface DeviceLowLevel {
  readonly medium: Medium;
  /** safecopy's stderr line announcing the low-level access, or null for plain devices. */
  readonly banner: string | null;
  probe(path: string, reportedSize: number, reportedBlockSize: number): LowLevelProbe;
  read(source: Source, buf: Uint8Array, length: number, position: number): number;
  afterReadError(): void;
  canSeek(): boolean;
  close(): void;
}

/** A device with nothing below the block layer: plain reads, no actions. */
export class PlainDevice implements DeviceLowLevel {
  readonly banner = null;
  constructor(readonly medium: Medium) {}
  probe(): LowLevelProbe { return {}; }
  read(source: Source, buf: Uint8Array, length: number, position: number): number {
    return source.read(buf, length, position);
  }
  afterReadError(): void {}
  canSeek(): boolean { return false; }
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
    this.log.warn(`${this.path}: ${name} failed (${errnoName(r)}); continuing without it`);
    return false;
  }

  close(): void {
    if (this.fd >= 0) close(this.fd);
    this.fd = -1;
  }
}

export class CdDevice extends IoctlDevice implements DeviceLowLevel {
  readonly banner: string;
  private readonly sectorSize: number | null;
  private readonly size: number | null;
  private readonly raw: CdRawReader | null;
  private rawFailed = false;

  constructor(readonly medium: Medium & { kind: "cd" | "dvd" }, io: DeviceIoctls, fd: number, path: string, log: Log) {
    super(io, fd, path, log);
    const layout: CdLayout | null = medium.kind === "cd" ? medium.layout : null;
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

  probe(): LowLevelProbe {
    this.log.info(this.banner);
    const p: LowLevelProbe = {};
    if (this.sectorSize !== null) {
      p.blockSize = this.sectorSize;
      this.log.info(`CDROM low level block size: ${this.sectorSize}`);
    }
    if (this.size !== null) {
      p.size = this.size;
      this.log.info(`CDROM low level disk size: ${this.size}`);
    }
    return p;
  }

  read(source: Source, buf: Uint8Array, length: number, position: number): number {
    if (!this.raw || this.rawFailed) return source.read(buf, length, position);
    const r = this.raw.read(buf, length, position);
    this.log.debug(`${this.path}: CDROMREADRAW ${length} bytes at ${position} -> ${r < 0 ? errnoName(r) : r}`);
    // A drive that refuses the raw read command altogether is not a bad sector:
    // say so once and read the normal way from then on.
    if (r === -Errno.EINVAL || r === -Errno.ENOSYS || r === -Errno.ENOTTY) {
      this.rawFailed = true;
      this.log.warn(`${this.path}: CDROMREADRAW not supported (${errnoName(r)}); continuing with normal reads`);
      return source.read(buf, length, position);
    }
    return r;
  }

  afterReadError(): void {
    this.attempt("CDROMRESET", () => this.io.cdReset(this.fd));
  }

  /** The raw reader addresses sectors itself, so a failed lseek does not matter. */
  canSeek(): boolean {
    return this.raw !== null && !this.rawFailed;
  }
}

export class FloppyDevice extends IoctlDevice implements DeviceLowLevel {
  readonly banner = "Floppy low level access: drive reset, twaddle ioctl";

  constructor(readonly medium: Medium & { kind: "floppy" }, io: DeviceIoctls, controlFd: number, path: string, log: Log) {
    super(io, controlFd, path, log);
  }

  probe(): LowLevelProbe {
    this.log.info(this.banner);
    return {};
  }

  /** A read that fails with EIO gets one more chance after reset, reopen and twaddle. */
  read(source: Source, buf: Uint8Array, length: number, position: number): number {
    const r = source.read(buf, length, position);
    if (r !== -Errno.EIO) return r;
    this.attempt("FDRESET", () => this.io.floppyReset(this.fd));
    const reopenable = source as Source & { reopen?: () => unknown };
    if (typeof reopenable.reopen === "function") reopenable.reopen();
    this.attempt("FDTWADDLE", () => this.io.floppyTwaddle(this.fd));
    const again = source.read(buf, length, position);
    this.log.debug(`${this.path}: read ${length} bytes at ${position} after twaddle -> ${again < 0 ? errnoName(again) : again}`);
    return again;
  }

  afterReadError(): void {
    this.attempt("FDRESET", () => this.io.floppyReset(this.fd));
  }

  canSeek(): boolean {
    return false;
  }
}
