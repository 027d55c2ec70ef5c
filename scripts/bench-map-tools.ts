// Map tools on large maps: `salvage map` (ddrescuelog's letters) against ddrescuelog 1.27 on
// two maps of N blocks each (random statuses, 4 KiB apart: a 2 TB disk's worth of damage
// would be far fewer). Prints wall time and peak RSS (GNU time) of each, and the ratio.
//   bun scripts/bench-map-tools.ts [BLOCKS]     (default 300000; needs dist/salvage, /usr/bin/time)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { peer } from "../test/helpers/needs.ts";

const blocks = Number(process.argv[2] ?? 300_000);
const salvage = join(import.meta.dir, "../dist/salvage");
const ddrescuelog = peer("ddrescuelog");
const dir = mkdtempSync(join(tmpdir(), "bench-map-tools-"));

function randomMap(seed: number): string {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
  const lines = ["0x00000000     ?               1"];
  let prev = "";
  for (let i = 0, pos = 0; i < blocks; ) {
    const size = 512 * (1 + Math.floor(next() * 16));
    const status = "?*/-+"[Math.floor(next() * 5)]!;
    if (status === prev) continue; // ddrescue joins equal neighbours: keep N real blocks
    lines.push(`0x${pos.toString(16).toUpperCase().padStart(8, "0")}  0x${size.toString(16).toUpperCase().padStart(8, "0")}  ${status}`);
    pos += size;
    prev = status;
    i++;
  }
  return lines.join("\n") + "\n";
}

function measure(cmd: string[]): { seconds: number; rssKiB: number } {
  const t0 = performance.now();
  const p = Bun.spawnSync(["/usr/bin/time", "-f", "rss %M", ...cmd], { cwd: dir, stdout: "ignore", stderr: "pipe" });
  const rss = Number(/rss (\d+)/.exec(p.stderr.toString())?.[1] ?? NaN);
  return { seconds: (performance.now() - t0) / 1000, rssKiB: rss };
}

try {
  writeFileSync(join(dir, "a.map"), randomMap(1));
  writeFileSync(join(dir, "b.map"), randomMap(2));
  console.log(`maps of ${blocks} blocks each`);
  for (const words of [["-D", "a.map"], ["-l-", "a.map"], ["-n", "a.map"], ["-x", "b.map", "a.map"], ["-p", "b.map", "a.map"], ["-l+", "-m", "b.map", "a.map"]]) {
    const ours = measure([salvage, "map", ...words]);
    const line = `${words.join(" ").padEnd(22)} salvage ${ours.seconds.toFixed(2)} s ${(ours.rssKiB / 1024).toFixed(0)} MiB`;
    if (!ddrescuelog) {
      console.log(`${line}  (ddrescuelog not installed: no ratio)`);
      continue;
    }
    const ref = measure([ddrescuelog, ...words]);
    console.log(`${line} | ddrescuelog ${ref.seconds.toFixed(2)} s ${(ref.rssKiB / 1024).toFixed(0)} MiB | time ratio ${(ours.seconds / ref.seconds).toFixed(2)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
