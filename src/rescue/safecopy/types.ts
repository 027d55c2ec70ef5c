// The safecopy engine's contracts: what it is configured with, what it reads through
// (Medium) and where its events go (EngineSink). No FFI here: the CLI runner wires real
// files and devices in, tests wire MemorySource and string buffers.
import type { BadblockReader } from "../../formats/badblocks.ts";
import type { TimingRecord } from "../../formats/timing.ts";

export interface SafecopyConfig {
  /** -b: bytes per normal read. */
  blockSize: number;
  /** -f: bytes skipped over an unreadable spot. */
  skipSize: number;
  /** -r: granularity of the search for the edges of a bad area. */
  resolution: number;
  /** -R: read attempts at minimum size on the first bad spot. */
  retries: number;
  /** -Z: head moves after each failed read (done by the Medium; here for --debug output). */
  headMoves: number;
  /** -L: 0 never, 1 after errors, 2 always use the low-level reader. */
  lowLevel: number;
  /** -s in bytes (source offset that maps to destination offset 0). */
  startOffset: number;
  /** -l in bytes, or -1 for no limit. */
  length: number;
  /** Source size in bytes, 0 when unknown. */
  fileSize: number;
  /** -I list (incremental mode), its block size -i and the old destination size. */
  include: BadblockReader | null;
  includeBlockSize: number;
  includeName: string;
  targetSize: number;
  /** -X list and its block size -x. */
  exclude: BadblockReader | null;
  excludeBlockSize: number;
  excludeName: string;
  /** -M pattern, or null. An empty marker writes zeros (safecopy wrote stray memory). */
  marker: Uint8Array | null;
  /** -o given: report bad blocks through sink.badBlock. */
  badblocksOut: boolean;
  /** -T given: report every read attempt through sink.timing. */
  timing: boolean;
  /** stdout and stderr are terminals: percentage and smileys on stderr. */
  human: boolean;
  /** --debug bit field. */
  debug: number;
  /** Destination name, for error messages. */
  destName: string;
}

/** Result of a forward skip on an unseekable source (safecopy's external seek script). */
export interface SkipResult {
  /** New source position, or null when the skip failed. */
  position: number | null;
  /** Set when the source could not be opened again afterwards (message for stderr). */
  reopenError?: string;
}

/** The source as the read loop sees it: a position-addressed reader with recovery actions. */
export interface Medium {
  /** lseek(SEEK_SET): the new position, or -errno (EINVAL past the end of a device). */
  seek(position: number): number;
  /** Read up to `length` bytes at `position` into buf: bytes, 0 at the end, or -errno. */
  read(buf: Uint8Array, length: number, position: number, lowLevel: boolean): number;
  /** Optional fast path: whole blocks from one large read at `position` (at most maxLength bytes), or null. */
  readBulk?(position: number, maxLength: number): Uint8Array | null;
  /** After a failed read: close, head moves (-Z), reopen. null when fine, else the reopen error text. */
  recover(): string | null;
  /** Reopen once more (used with --forceopen after recover failed): null or error text. */
  reopen(): string | null;
  /** Skip forward from `from` to `to` without lseek (seek script), reopening afterwards. */
  skip(to: number, from: number): SkipResult;
  /** True when a low-level reader positions itself (CD raw reads): failed seeks are then ignored. */
  lowLevelCanSeek(): boolean;
  /** Text for an errno, like strerror(). */
  describe(errno: number): string;
}

/** Where the engine's events go. Writes return null or an error text (strerror). */
export interface EngineSink {
  /** Progress symbols and the summary (safecopy's stdout). */
  out(text: string): void;
  /** Messages, debug lines and tty decorations (safecopy's stderr). */
  err(text: string): void;
  write(buf: Uint8Array, length: number, position: number): string | null;
  /** After a failed write: how far the destination really got (writes may be coalesced). */
  writtenUpTo?(): number | null;
  badBlock(block: number): void;
  timing(record: TimingRecord): void;
}

export const DebugBits = { flow: 1, io: 2, badblocks: 4, seek: 8, incremental: 16, exclude: 32 } as const;

export interface EngineResult {
  /** 0 finished, 1 aborted by the user, 2 aborted by an error. */
  aborted: 0 | 1 | 2;
  softErrors: number;
  hardErrors: number;
  damage: number;
  written: number;
  exitCode: number;
}
