// Pieces as numbered files PREFIX0001, PREFIX0002, ...; a partial piece gets a "p"
// appended (PREFIX0002p), as in the 1990 tool. Each file is written under a temporary
// name and renamed only when its piece is finished.
import { ByteWriter } from "./byte-writer.ts";
import type { PieceInfo, PieceSink } from "./pieces.ts";

export function pieceName(prefix: string, n: number, complete: boolean): string {
  return `${prefix}${String(n).padStart(4, "0")}${complete ? "" : "p"}`;
}

export class PieceFiles implements PieceSink {
  private writer: ByteWriter | null = null;

  constructor(private readonly prefix: string, private readonly onPiece: (info: PieceInfo, path: string) => void) {}

  begin(n: number): void {
    this.writer = new ByteWriter(pieceName(this.prefix, n, true), 1 << 16);
  }

  append(bytes: Uint8Array): void {
    this.writer!.write(bytes);
  }

  end(info: PieceInfo): void {
    const path = pieceName(this.prefix, info.number, info.complete);
    this.writer!.finish(path);
    this.writer = null;
    this.onPiece(info, path);
  }

  /** Interrupted or failed: remove the temporary file of a piece in progress. */
  abandon(): void {
    this.writer?.abandon();
    this.writer = null;
  }
}
