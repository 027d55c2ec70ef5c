// The contract every engine reads through. Media errors are data, not exceptions:
// a read returns the byte count (short near damage or the end, 0 at the end) or -errno.
// Engines depend only on this interface, so they run unchanged on a real device,
// an image, a pipe or an in-memory fake.
export interface Source {
  readonly path: string;
  /** Size in bytes, or null when the source cannot say (pipes, some character devices). */
  readonly size: number | null;
  /** False for pipes: reads must then come in order, and `offset` must equal the current position. */
  readonly seekable: boolean;
  /** Smallest unit the medium reads (logical sector); 512 for plain files. */
  readonly sectorSize: number;
  /** Buffer, offset and length alignment the source needs (O_DIRECT); 1 when none. */
  readonly alignment: number;
  /** Read up to `length` bytes at `offset` into `buf[0..length)`: bytes read, or -errno. */
  read(buf: Uint8Array, length: number, offset: number): number;
  /**
   * Optional: copy up to `length` bytes at `offset` to the descriptor `outFd` inside the
   * kernel (no copy through our memory): bytes copied (short at the end or before damage),
   * or -errno, EINVAL or ENOSYS meaning "not possible here: read instead".
   */
  copyTo?(outFd: number, length: number, offset: number): number;
  close(): void;
}
