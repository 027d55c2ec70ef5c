// Runs of text fragments → numbered pieces, as the 1990 textpieces did: every run of
// consecutive text fragments becomes one piece; a run that ends in trailing NULs is a
// complete file, a run cut off by a non-text fragment (or the end of input) is partial.
import { classify, FragmentKind, type TextEncoding } from "./text-class.ts";

export interface PieceInfo {
  number: number;
  complete: boolean;
  fragments: number;
  bytes: number;
  /** Input-stream fragment numbers of the first and last fragment. */
  firstFragment: number;
  lastFragment: number;
}

/** Where pieces go. Implementations write files, collect in memory (tests), etc. */
export interface PieceSink {
  begin(number: number): void;
  append(bytes: Uint8Array): void;
  end(info: PieceInfo): void;
}

export interface AssemblerOptions {
  utf8?: boolean;
  /** What counts as text (overrides utf8). */
  encoding?: TextEncoding;
  /** Written between consecutive fragments of one piece (the classic tool marked the joins). */
  separator?: Uint8Array;
  /** Number of the first piece. */
  firstNumber?: number;
  /** A fragment of NULs only ends a run as complete (file ended on a fragment boundary). */
  nulFragmentEndsFile?: boolean;
}

export class PieceAssembler {
  private number: number;
  private open: PieceInfo | null = null;
  private readonly encoding: TextEncoding;
  private readonly separator: Uint8Array;
  private readonly nulEnds: boolean;
  completeCount = 0;
  partialCount = 0;

  constructor(private readonly sink: PieceSink, options: AssemblerOptions = {}) {
    this.number = options.firstNumber ?? 1;
    this.encoding = options.encoding ?? (options.utf8 ? "utf8" : "ascii");
    this.separator = options.separator ?? new Uint8Array(0);
    this.nulEnds = options.nulFragmentEndsFile ?? true;
  }

  /** Feed fragment number `n` of the input stream. */
  push(frag: Uint8Array, n: number): void {
    const c = classify(frag, frag.length, this.encoding);
    if (c.kind === FragmentKind.Binary) {
      if (this.open) this.close(false);
      return;
    }
    if (c.kind === FragmentKind.TextEnd && c.textLength === 0) {
      // All NULs: a boundary, never the start of a piece.
      if (this.open && this.nulEnds) this.close(true);
      return;
    }
    if (!this.open) {
      this.open = { number: this.number++, complete: false, fragments: 0, bytes: 0, firstFragment: n, lastFragment: n };
      this.sink.begin(this.open.number);
    } else if (this.separator.length) {
      this.sink.append(this.separator);
      this.open.bytes += this.separator.length;
    }
    this.sink.append(c.textLength === frag.length ? frag : frag.subarray(0, c.textLength));
    this.open.bytes += c.textLength;
    this.open.fragments++;
    this.open.lastFragment = n;
    if (c.kind === FragmentKind.TextEnd) this.close(true);
  }

  /** Something other than a fragment came between (an unreadable one): the run is cut off. */
  interrupt(): void {
    if (this.open) this.close(false);
  }

  /** End of input: a run still open was cut off, so it is partial. */
  finish(): void {
    if (this.open) this.close(false);
  }

  private close(complete: boolean): void {
    const info = this.open!;
    info.complete = complete;
    this.open = null;
    if (complete) this.completeCount++;
    else this.partialCount++;
    this.sink.end(info);
  }
}
