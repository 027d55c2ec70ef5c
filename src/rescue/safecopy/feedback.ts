// safecopy's terminal decorations (only when stdout and stderr are both terminals):
// a percentage and a read-speed smiley on stderr, each followed by backspaces so the
// progress symbols on stdout overwrite them, and a line break every ~40 symbols.

const categories = [
  [100, "  ;-}"],
  [10_000, "  :-)"],
  [100_000, "  :-|"],
  [1_000_000, "  8-("],
] as const;
const slowest = "  8-X";

/** Reading-time class of a duration in microseconds (its upper bound; Infinity for the slowest). */
export function timeCategory(micros: number): number {
  for (const [limit] of categories) if (micros <= limit) return limit;
  return Infinity;
}

export function timeIcon(category: number): string {
  for (const [limit, icon] of categories) if (category === limit) return icon;
  return slowest;
}

export class Feedback {
  percent = -1;
  /** A symbol was printed this cycle: the decorations need redrawing. */
  output = false;
  lineWidth = 0;
  private oldPercent = -1;
  private oldElapsed = 0;
  private oldCategory = timeCategory(0);

  constructor(private readonly human: boolean, private readonly err: (text: string) => void) {}

  private percentage(): void {
    const p = Math.min(100, Math.max(0, this.percent));
    const text = `      ${p}%`;
    this.err(text + "\b".repeat(text.length));
  }

  private smiley(category: number): void {
    const icon = timeIcon(category);
    this.err(icon + "\b".repeat(icon.length));
  }

  /** After every read attempt: smooth the timing, redraw what changed, wrap long lines. */
  afterRead(elapsed: number, fileSize: number, block: number): void {
    // React fast to slow reads, slowly to fast ones.
    const cat = timeCategory(elapsed);
    const oldCat = timeCategory(this.oldElapsed);
    if (cat > oldCat) this.oldElapsed = Math.trunc((9 * this.oldElapsed + elapsed) / 10);
    else if (cat < oldCat) this.oldElapsed = Math.trunc((99 * this.oldElapsed + elapsed) / 100);
    const now = timeCategory(this.oldElapsed);
    if (fileSize && (this.percent !== this.oldPercent || this.output)) {
      if (this.human) {
        this.percentage();
        this.smiley(now);
      }
      this.oldPercent = this.percent;
    }
    if (now !== this.oldCategory) {
      if (this.human) {
        if (fileSize) this.percentage();
        this.smiley(now);
      }
      this.oldCategory = now;
    } else if (this.output && this.human) {
      if (fileSize) this.percentage();
      this.smiley(now);
    }
    if (this.lineWidth > 40) {
      if (this.human) this.err(` [${block}] \n`);
      this.lineWidth = 0;
    }
    this.output = false;
  }
}
