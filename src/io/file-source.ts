// A Source over a file or device, through the shim. Opened read-only, always.
import { close as closeFd, lseekRaw, openSource, preadRaw, readRaw, SEEK_SET, type SourceOpenOptions } from "../native/io.ts";
import { statFd } from "../native/stat.ts";
import { blockGeometry } from "../native/blockdev.ts";
import type { Source } from "./source.ts";

export interface FileSourceOptions extends SourceOpenOptions {}

export class FileSource implements Source {
  readonly size: number | null;
  readonly seekable: boolean;
  readonly sectorSize: number;
  readonly alignment: number;
  private fd: number;
  private position = 0;

  /** `fd`: adopt a descriptor already opened read-only with these options (saves an open and an fstat on every reopen). */
  constructor(readonly path: string, readonly options: FileSourceOptions = {}, fd?: number, st = fd === undefined ? undefined : statFd(fd, path)) {
    this.fd = fd ?? openSource(path, options);
    st ??= statFd(this.fd, path);
    this.seekable = st.kind === "regular" || st.kind === "block";
    let sector = 512;
    let size: number | null = st.kind === "regular" ? st.size : null;
    if (st.kind === "block") {
      const g = blockGeometry(this.fd, path);
      size = g.size;
      sector = g.logicalSector;
    }
    this.size = size;
    this.sectorSize = sector;
    this.alignment = options.direct ? Math.max(sector, 512) : 1;
  }

  read(buf: Uint8Array, length: number, offset: number): number {
    if (this.seekable) return preadRaw(this.fd, buf, length, offset);
    // Pipes and character devices: sequential reads only.
    if (offset !== this.position) return -29; // ESPIPE
    const n = readRaw(this.fd, buf, length);
    if (n > 0) this.position += n;
    return n;
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
