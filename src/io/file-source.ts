// A Source over a file or device, through the shim. Opened read-only, always.
import { close as closeFd, lseekRaw, openSource, openSourceRaw, preadRaw, readRaw, SEEK_SET, sendfileRaw, type SourceOpenOptions } from "../native/io.ts";
import { statFd, type FileStat } from "../native/stat.ts";
import { blockGeometry } from "../native/blockdev.ts";
import type { Source } from "./source.ts";

export interface FileSourceOptions extends SourceOpenOptions {}

/** What a FileSource learns from fstat (and BLKGETSIZE64 / BLKSSZGET on a block device). */
interface SourceShape {
  readonly seekable: boolean;
  readonly size: number | null;
  readonly sectorSize: number;
  readonly regular: boolean;
}

function shapeOf(fd: number, path: string, st: FileStat): SourceShape {
  if (st.kind === "block") {
    const g = blockGeometry(fd, path);
    return { seekable: true, size: g.size, sectorSize: g.logicalSector, regular: false };
  }
  const regular = st.kind === "regular";
  return { seekable: regular, size: regular ? st.size : null, sectorSize: 512, regular };
}

export class FileSource implements Source {
  readonly size: number | null;
  readonly seekable: boolean;
  readonly sectorSize: number;
  readonly alignment: number;
  /** A regular file (an image), not a device or a pipe. */
  readonly regular: boolean;
  private fd: number;
  private position = 0;

  /**
   * `fd`: adopt a descriptor already opened read-only with these options (saves an open and
   * an fstat on every reopen). `known`: its stat, or the shape of an earlier FileSource on
   * the same file (openAgain), which then needs no fstat or device ioctl at all.
   */
  constructor(readonly path: string, readonly options: FileSourceOptions = {}, fd?: number, known?: FileStat | SourceShape) {
    this.fd = fd ?? openSource(path, options);
    const shape = known && "seekable" in known ? known : shapeOf(this.fd, path, known ?? statFd(this.fd, path));
    this.seekable = shape.seekable;
    this.size = shape.size;
    this.sectorSize = shape.sectorSize;
    this.regular = shape.regular;
    this.alignment = options.direct ? Math.max(shape.sectorSize, 512) : 1;
  }

  /**
   * The same file opened again with the same options: a new FileSource, or -errno. Kind,
   * size and sector size are this one's: safecopy reopens after every failed read and never
   * looks again, and an fstat with its decoding per reopen was a fifth of the CPU time of a
   * copy over many bad sectors.
   */
  openAgain(): FileSource | number {
    const fd = openSourceRaw(this.path, this.options);
    return fd < 0 ? fd : new FileSource(this.path, this.options, fd, this);
  }

  read(buf: Uint8Array, length: number, offset: number): number {
    if (this.seekable) return preadRaw(this.fd, buf, length, offset);
    // Pipes and character devices: sequential reads only.
    if (offset !== this.position) return -29; // ESPIPE
    const n = readRaw(this.fd, buf, length);
    if (n > 0) this.position += n;
    return n;
  }

  copyTo(outFd: number, length: number, offset: number): number {
    // Pipes and character devices have no offsets to send from.
    return this.seekable ? sendfileRaw(outFd, this.fd, offset, length) : -22;
  }

  /**
   * lseek(SEEK_SET) on the descriptor: the new position or -errno. Reads stay positional;
   * this only asks the kernel (or a simulated device) whether the position exists: a block
   * device refuses a position past its end with EINVAL, a regular file accepts it.
   */
  seek(position: number): number {
    return lseekRaw(this.fd, position, SEEK_SET);
  }

  /** Close and open again: some drivers recover from a failed read only on a fresh open. */
  reopen(): number {
    closeFd(this.fd);
    this.fd = openSource(this.path, this.options);
    return this.fd;
  }

  get descriptor(): number {
    return this.fd;
  }

  close(): void {
    if (this.fd >= 0) closeFd(this.fd);
    this.fd = -1;
  }
}
