// The five states a byte of the rescue domain can be in, with GNU ddrescue's mapfile
// characters. Data only moves forward through this list (or straight to finished).
export type BlockStatus = "?" | "*" | "/" | "-" | "+";

export const NON_TRIED: BlockStatus = "?";
export const NON_TRIMMED: BlockStatus = "*";
export const NON_SCRAPED: BlockStatus = "/";
export const BAD_SECTOR: BlockStatus = "-";
export const FINISHED: BlockStatus = "+";

export const blockStatuses: readonly BlockStatus[] = ["?", "*", "/", "-", "+"];

export function isBlockStatus(c: string): c is BlockStatus {
  return c.length === 1 && "?*/-+".includes(c);
}

/**
 * The phase a mapfile's status line records: `?` copying, `*` trimming, `/` scraping,
 * `-` retrying, `F` filling, `G` generating, `+` finished.
 */
export type PhaseStatus = BlockStatus | "F" | "G";

export function isPhaseStatus(c: string): c is PhaseStatus {
  return c.length === 1 && "?*/-+FG".includes(c);
}

export const statusNames: Record<BlockStatus, string> = {
  "?": "non-tried",
  "*": "non-trimmed",
  "/": "non-scraped",
  "-": "bad-sector",
  "+": "finished",
};

/** A mapfile's status line: where the current phase and pass are, for exact resume. */
export interface StatusLine {
  /**
   * Start of the block being tried in a forward pass, its end in a backward one; between
   * the reads of copy pass 1, where the next read goes (skip included).
   */
  pos: number;
  status: PhaseStatus;
  /** Pass number within the phase, starting at 1. */
  pass: number;
}
