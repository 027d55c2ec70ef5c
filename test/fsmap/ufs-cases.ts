// What The Sleuth Kit says is allocated on the FFS fixtures: `blkls -a -l` (every allocated
// fragment, metadata included), kept as fragment ranges. Shared by the UFS used-space
// differential test and scripts/record-oracles.ts.
import type { Recipe } from "../helpers/oracle.ts";
import { fixturePath } from "../ffs/fixtures.ts";
import { tskFixtures, toRanges } from "../ffs/tsk-cases.ts";

/** The allocated fragments a `blkls -a -l` listing names ("N|a" lines). */
export function listedAllocated(text: string): number[] {
  return text.split("\n").filter((l) => /^\d+\|a$/.test(l)).map((l) => Number(l.split("|")[0]));
}

export function tskAllocated(blkls: string, fixture: { name: string; tsk: string | null }): string {
  const r = Bun.spawnSync([blkls, "-a", "-l", "-f", fixture.tsk!, fixturePath(fixture.name)], { stdin: "ignore", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`blkls -a -l ${fixture.name}: exit ${r.exitCode} ${r.stderr}`);
  return toRanges(listedAllocated(r.stdout.toString()));
}

export const ufsUsedRecipe: Recipe<string> = {
  name: "sleuthkit/ufs-allocated",
  tools: ["blkls"],
  keys: tskFixtures.map((f) => `blkls -a -l ${f.name}`),
  run(key, t) {
    const f = tskFixtures.find((x) => x.name === key.split(" ").at(-1))!;
    return tskAllocated(t.blkls!, f);
  },
};
