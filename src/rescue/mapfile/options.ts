// Options of a mapfile rescue: a plain record with defaults, kept apart from parsing.
export interface RescueOptions {
  /** Bytes per read near damage, and the unit of copying (ddrescue's cluster). */
  cluster: number;
  /**
   * Bytes per read on a long stretch without any error (and before the first one): fewer,
   * larger reads copy a healthy disk at the speed of dd. At least the cluster.
   */
  healthyRead: number;
  /** Skip after the first error in copy pass 1, bytes; 0 disables skipping. */
  skipInitial: number;
  /** Largest skip, bytes. */
  skipMax: number;
  /** Start every pass at the other end (ddrescue -R). */
  reverse: boolean;
  /** Skip the trimming phase (edges stay non-trimmed, then go to scraping). */
  noTrim: boolean;
  /** Skip the scraping phase (ddrescue -n). */
  noScrape: boolean;
  /**
   * The bytes beyond the domain's boundary count as a long run of good data when trimming
   * judges a failed block next to it (a --domain map's edge is the user's). False: only as
   * far as the map says they are finished. The stages of `rescue --used-first` rescue
   * ranges whose boundaries say nothing about the disk: a failed block there must not
   * look like a small defect between good runs, which trimming crawls through sector by
   * sector (8 failed reads where the bad area merely goes on past the range).
   */
  domainEdgeGood: boolean;
  /**
   * Retry passes over bad sectors; -1 = until none is left or interrupted; "auto" (the
   * default) = retry short bad runs while it pays (retry-auto.ts).
   */
  retries: number | "auto";
  /**
   * Probe still-untried areas wider than this, between failures, before giving them up
   * to scraping; smaller ones are never swept cluster by cluster.
   */
  probeMin: number;
  /**
   * Bytes/s below which a copy-pass-1 read counts as slow and triggers a skip; 0 = learned
   * (a read of 50 ms or more at under a tenth of the usual rate, damage-learner.ts).
   */
  minReadRate: number;
  /** Stop after this many failed reads in this run; -1 = no limit. */
  maxErrors: number;
  /** Stop when no read has succeeded for this long, ms; 0 = no limit. */
  timeoutMs: number;
  /** Don't write all-zero blocks (the target must start empty or zeroed). */
  sparse: boolean;
  /** Stop when the map holds more than this many bad areas; -1 = no limit (ddrescue -e). */
  maxBadAreas: number;
  /** Count only bad areas new in this run against maxBadAreas (ddrescue -e +N). */
  maxBadAreasNew: boolean;
  /** Stop when failed reads exceed this many bytes per second; -1 = no limit (ddrescue -E). */
  maxErrorRate: number;
  /** Stop after more than this many slow reads in copying; -1 = no limit (--max-slow-reads). */
  maxSlowReads: number;
  /** No read counts as slow during the first this many ms of the run (--delay-slow). */
  delaySlowMs: number;
  /** Reopen the source after every failed read in copying (ddrescue -O; the source decides how). */
  reopenOnError: boolean;
  /** Run every pass in the main direction (ddrescue -u). */
  unidirectional: boolean;
  /** Wait this long after each failed read, ms (--pause-on-error). */
  pauseOnErrorMs: number;
  /**
   * Copying passes to run, ddrescue's numbers 1-5 (--cpass): 1 and 2 are salvage's passes 1
   * and 2, 3 its wide-gap probing, 4 and 5 its probing of the other gaps. Empty = no copying.
   */
  copyPasses: readonly number[];
}

export const defaultRescueOptions: RescueOptions = {
  cluster: 64 * 1024,
  healthyRead: 1 << 20,
  skipInitial: 0,
  skipMax: 0,
  reverse: false,
  noTrim: false,
  noScrape: false,
  domainEdgeGood: true,
  retries: "auto",
  probeMin: 0,
  minReadRate: 0,
  maxErrors: -1,
  timeoutMs: 0,
  sparse: false,
  maxBadAreas: -1,
  maxBadAreasNew: false,
  maxErrorRate: -1,
  maxSlowReads: -1,
  delaySlowMs: 0,
  reopenOnError: false,
  unidirectional: false,
  pauseOnErrorMs: 0,
  copyPasses: [1, 2, 3, 4, 5],
};

/**
 * Defaults that depend on the domain size. The first skip after an error is small (one
 * cluster, or 1/32768 of the domain as in ddrescue 1.30), because pass 1 learns the size
 * of the bad areas it meets and skips by that afterwards (skipping-pass.ts); further
 * errors in a row grow it x4 up to 1/16 of the domain. With --no-scrape, untried gaps
 * between failures no wider than a cluster are left non-scraped.
 */
export function resolveOptions(partial: Partial<RescueOptions>, domainSize: number, sectorSize: number): RescueOptions {
  const o = { ...defaultRescueOptions, ...partial };
  const roundUp = (n: number) => Math.max(sectorSize, Math.ceil(n / sectorSize) * sectorSize);
  o.cluster = roundUp(o.cluster);
  o.healthyRead = Math.max(o.cluster, Math.floor(o.healthyRead / o.cluster) * o.cluster);
  if (partial.skipInitial === undefined) o.skipInitial = roundUp(Math.max(o.cluster, domainSize / 32768));
  if (partial.skipMax === undefined) o.skipMax = roundUp(Math.max(o.skipInitial, domainSize / 16));
  // Untried gaps are probed down to one cluster wide; smaller ones are scraped.
  if (partial.probeMin === undefined) o.probeMin = o.cluster;
  return o;
}
