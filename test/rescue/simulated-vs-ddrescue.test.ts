// The bad-media simulator's disks, rescued by GNU ddrescue and by salvage in the same
// run: salvage must miss no good byte, write no wrong byte, and need fewer failed reads
// and less virtual time than ddrescue, trying no damaged sector twice.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { binary, scratchDir } from "../helpers/binary.ts";
import { makeDisk } from "../../src/sim/make.ts";
import { runSimulated } from "../../src/sim/run.ts";
import { scoreFiles } from "../../src/sim/score.ts";
import type { PatternName } from "../../src/sim/patterns.ts";
import { missing, peer, skipBecause } from "../helpers/needs.ts";

const scratch = scratchDir("rescue-sim");
afterAll(() => scratch.cleanup());
// Both tools run in the same run on the same simulated disk: ddrescue is the program under
// the simulator here, so this needs it live.
const ddrescue = peer("ddrescue");
const reason = !ddrescue ? `${missing("ddrescue")}: it runs beside salvage on the same simulated disk` : !existsSync(binary) ? `${binary} is missing (npm run build)` : undefined;

describe.skipIf(skipBecause(reason))("simulated failing disks: salvage rescue vs ddrescue", () => {
  for (const [pattern, seed] of [["clustered", 3], ["scattered", 4], ["mix", 5]] as [PatternName, number][]) {
    test(`${pattern} (8 MiB)`, async () => {
      const img = join(scratch.path, `${pattern}.img`);
      const model = makeDisk({ image: img, damage: `${img}.damage`, size: 8 << 20, pattern, seed, sectorSize: 512 });
      const run = async (argv: string[], out: string) => {
        const r = await runSimulated({ image: img, damage: model, argv, cwd: scratch.path, stdio: "pipe", stdin: "ignore" });
        return { stats: r.stats, score: scoreFiles(img, join(scratch.path, out), model) };
      };
      const dd = await run([ddrescue!, "-q", img, `dd-${pattern}.out`, `dd-${pattern}.map`], `dd-${pattern}.out`);
      const sv = await run([binary, "rescue", "-q", img, `sv-${pattern}.out`, `sv-${pattern}.map`], `sv-${pattern}.out`);
      const once = await run([binary, "rescue", "-q", "--retries", "0", img, `sv0-${pattern}.out`, `sv0-${pattern}.map`], `sv0-${pattern}.out`);
      expect(dd.score.classes.good.missed).toBe(0); // the reference run is complete too
      for (const r of [sv, once]) {
        expect(r.score.classes.good.missed).toBe(0);
        expect(r.score.classes.good.wrong + r.score.classes.bad.wrong + r.score.classes.weak.wrong).toBe(0);
      }
      // Without retries (as ddrescue's default): fewer failed reads, less time, each sector once.
      expect(once.stats.failedReads).toBeLessThan(dd.stats.failedReads);
      expect(once.stats.virtualSeconds).toBeLessThan(dd.stats.virtualSeconds);
      expect(once.stats.attempts.max).toBe(1);
      // The default also retries short bad runs while that pays: at most 10 % more failed reads.
      expect(sv.stats.failedReads).toBeLessThanOrEqual(Math.ceil(dd.stats.failedReads * 1.1));
      expect(sv.score.classes.weak.missed).toBeLessThanOrEqual(once.score.classes.weak.missed);
    });
  }
});
