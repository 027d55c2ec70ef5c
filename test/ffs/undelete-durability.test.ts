// undelete's recovered files are made durable in one batch: one syncfs(2) of OUTDIR's
// filesystem after every file is written under its temporary name, and only then the renames
// to the final names, report.txt last. A crash leaves no final name on unwritten data.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runBinary, salvageBinary } from "../helpers/binary.ts";
import { missing, peer, skipBecause } from "../helpers/needs.ts";
import { sha256 } from "../helpers/oracle.ts";
import { scratchDir } from "./fixtures.ts";

const fixtures = resolve(import.meta.dir, "../fixtures/undelete");

test.skipIf(skipBecause(missing("strace")))("one syncfs before the renames to final names; no process started for it", () => {
  const data = Bun.zstdDecompressSync(readFileSync(join(fixtures, "deleted-texts.img.zst")));
  expect(sha256(data)).toBe("cd5cc6b7cba450f02852da110303082144c8c0ac6e24a3f898effbcd13821f92");
  const img = join(scratchDir(), "durability.img");
  writeFileSync(img, data);
  const out = join(scratchDir(), "durability-out");
  const log = join(scratchDir(), "durability.trace");
  const r = runBinary([peer("strace")!, "-f", "-o", log, "-e", "trace=syncfs,fsync,rename,renameat,renameat2,execve", salvageBinary(), "undelete", img, out]);
  expect(r.code).toBe(0);
  const trace = readFileSync(log, "utf8").split("\n");
  const syncs = trace.map((l, i) => (/syncfs\(\d+\) += 0/.test(l) ? i : -1)).filter((i) => i >= 0);
  expect(syncs).toHaveLength(1);
  // Only salvage itself is executed (no `sync` helper process).
  expect(trace.filter((l) => /execve\(/.test(l))).toHaveLength(1);
  const renames = trace.map((l, i) => [l, i] as const).filter(([l]) => /rename(at2?)?\(/.test(l) && /piece\d{4}p?"/.test(l));
  expect(renames.length).toBeGreaterThan(10);
  for (const [, i] of renames) expect(i).toBeGreaterThan(syncs[0]!);
  // The per-file fsyncs are gone: report.txt and report.json keep theirs (written last).
  expect(trace.filter((l) => /fsync\(/.test(l)).length).toBeLessThanOrEqual(2);
  const reportRename = trace.findIndex((l) => /rename(at2?)?\(/.test(l) && /report\.txt"/.test(l));
  expect(reportRename).toBeGreaterThan(renames[renames.length - 1]![1]);
  // No temporary file is left: only pieces and the reports.
  expect(readdirSync(out).filter((n) => !/^piece\d{4}p?$/.test(n)).sort()).toEqual(["report.json", "report.txt"]);
});
