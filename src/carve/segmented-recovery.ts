// Reassembly in segments: the runs of text collected during the walk are reassembled and
// written whenever they pass a budget, and once more at the end. Memory stays bounded
// whatever the disk holds (a crafted image of alternating text and binary fragments has
// hundreds of millions of runs); a body and its tail that fall into different segments
// are not joined, which the budget makes rare (millions of runs or fragments per segment).
import { reassemble, type ReassembleOptions } from "./reassemble.ts";
import { writeRecovered, type RecoveredEntry, type WriteOptions } from "./recovered-files.ts";
import type { TextRunCollector } from "./text-runs.ts";

export const SEGMENT_RUNS = 1_000_000;
export const SEGMENT_FRAGMENTS = 4_000_000;

export class SegmentedRecovery {
  readonly entries: RecoveredEntry[] = [];
  segments = 0;

  constructor(
    private readonly collector: TextRunCollector,
    private readonly reassembly: Omit<ReassembleOptions, "indirectCandidates">,
    private readonly write: Omit<WriteOptions, "firstNumber" | "read">,
    private readonly budget = { runs: SEGMENT_RUNS, fragments: SEGMENT_FRAGMENTS },
  ) {}

  /** During the walk, after each push: past the budget, reassemble and write what was collected. */
  maybeFlush(): void {
    if (this.collector.runs.length >= this.budget.runs || this.collector.textFragments >= this.budget.fragments) this.flush(false);
  }

  /** At the end of the walk (final) or past the budget. */
  flush(final: boolean): void {
    if (final) this.collector.finish();
    const { runs, indirect } = this.collector.take();
    if (runs.length === 0) return;
    this.segments++;
    const found = reassemble(runs, { ...this.reassembly, indirectCandidates: indirect });
    const first = this.entries.length + 1;
    for (const e of writeRecovered(found, { ...this.write, read: this.reassembly.read, firstNumber: first })) this.entries.push(e);
  }
}
