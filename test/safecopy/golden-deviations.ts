// Where salvage deliberately differs from the recorded safecopy 1.7 runs (docs/compat.md):
// the expected outcome after the fix, written from the specification of the fix, not
// from salvage's output.
import type { ByteMap } from "./golden-scenario.ts";

export interface Deviation {
  expected?: Partial<{ stdout: string; stderr: string; exitCode: number }>;
  bytemaps?: Record<string, ByteMap>;
  files?: Record<string, string>;
}

const r44Header = `Low level device calls enabled mode: 1
Reported hw blocksize: 4096
Reported low level blocksize: 4096
File size: 4096
Blocksize: 1024
Fault skip blocksize: 1024
Resolution: 1024
Min read attempts: 1
Head moves on read error: 0
Starting block: 0
Size limit (blocks): 8
Source: d
Destination: out.dat
`;

export const deviations: Record<string, Deviation> = {
  // §12.5: `-c 3` with list entry 7: safecopy jumped to block 7 and never read blocks 3-6.
  // Fixed: everything from the old end (block 3) on is copied.
  r15_continue_c_with_I: {
    bytemaps: { "out.dat": { size: 10240, runs: [[0, 3072, 3072, "PRE"], [3072, 10240, 7168, "SRC"]] } },
  },
  // §12.9: reads of a directory fail everywhere; safecopy skipped on past the reported size
  // (4096) until -l stopped it (and forever without -l). Fixed (issue 12): a directory is
  // refused when it is opened, like any source that cannot be read: safecopy's open error
  // and exit code, nothing written.
  r44_source_is_directory: {
    expected: { stdout: r44Header, stderr: "Error opening sourcefile: d : Is a directory\n", exitCode: 2 },
  },
  // §12.1: -s 2 with source blocks 8-9 unreadable: safecopy added the start offset twice and
  // marked/listed two blocks past the end. Fixed: 8192 bytes (source 2048..10240), the last
  // two marked, list `8 9`.
  s13_start_unreadable_end_marker: {
    bytemaps: { "out.dat": { size: 8192, runs: [[0, 6144, 6144, "SRC"], [6144, 8192, 2048, "MARK"]] } },
    files: { "out.badblocks": "8\n9\n" },
  },
};
