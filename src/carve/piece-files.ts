// Pieces as numbered files PREFIX0001, PREFIX0002, ...; a partial piece gets a "p"
// appended (PREFIX0002p), as in the 1990 tool. Each file is written under a temporary
// name and renamed only when its piece is finished and on disk: at once (fsync, rename),
// or, in a batch, all together (one syncfs, then the renames) when commit() is called.
import { dirname } from "node:path";
import { refuseForeignSymlink } from "../util/foreign-symlink.ts";
import { syncFileSystem } from "../util/sync-fs.ts";
import { ByteWriter } from "./byte-writer.ts";
import type { PieceInfo, PieceSink } from "./pieces.ts";

export function pieceName(prefix: string, n: number, complete: boolean): string {
  return `${prefix}${String(n).padStart(4, "0")}${complete ? "" : "p"}`;
}

export class PieceFiles implements PieceSink {
  private writer: ByteWriter | null = null;
  /** Batch: finished pieces still under their temporary names. */
  private readonly pending: Array<{ commit(): void; discard(): void; temp: string }> = [];

  /**
   * `batch`: pieces keep their temporary names until commit() (undelete --classic writes
   * hundreds: one syncfs instead of an fsync each). The directory is checked once, here.
   */
  constructor(private readonly prefix: string, private readonly onPiece: (info: PieceInfo, path: string) => void, private readonly batch = false) {
    if (batch) refuseForeignSymlink(dirname(prefix));
  }

  begin(n: number): void {
    this.writer = new ByteWriter(pieceName(this.prefix, n, true), 1 << 16, this.batch);
  }

  append(bytes: Uint8Array): void {
    this.writer!.write(bytes);
  }

  end(info: PieceInfo): void {
    const path = pieceName(this.prefix, info.number, info.complete);
    const w = this.writer!;
    if (this.batch) this.pending.push({ ...w.finishDeferred(path), temp: w.tempPath! });
    else w.finish(path);
    this.writer = null;
    this.onPiece(info, path);
  }

  /** Batch: make the finished pieces durable (one syncfs) and only then give them their names. */
  commit(): void {
    if (this.pending.length === 0) return;
    syncFileSystem(dirname(this.prefix), this.pending.map((p) => p.temp));
    while (this.pending.length) this.pending.shift()!.commit();
  }

  /** Interrupted or failed: remove the temporary file of a piece in progress. */
  abandon(): void {
    this.writer?.abandon();
    this.writer = null;
  }

  /** Failed: remove the finished pieces not committed yet too. */
  discard(): void {
    this.abandon();
    for (const p of this.pending.splice(0)) p.discard();
  }
}
