// ddrescuelog 1.27's answers to its map operations (-t -D -d -p -P -l -a -n -x -y -z, with the
// domain options -m -i -s -o -b), recorded by scripts/record-oracles.ts for
// map-tools.test.ts. The input maps are made here from fixed seeds (their hashes are
// recorded with the answers); a case is ddrescuelog's words with the maps' names.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { sha256, type Recipe } from "../helpers/oracle.ts";
import { body, randomMap } from "./map-cases.ts";
import { serializeMapfile } from "../../src/formats/mapfile.ts";

/** The maps a case may name: A and B of 1 MiB, S shorter (640 KiB), D a domain map, F all finished. */
export function inputMaps(): Record<string, string> {
  const finished = serializeMapfile({ current: { pos: 0, status: "+", pass: 1 }, blocks: [{ pos: 0, size: 1 << 20, status: "+" }] });
  return { "A.map": randomMap(3, 1 << 20), "B.map": randomMap(4, 1 << 20), "S.map": randomMap(5, 640 << 10), "D.map": randomMap(6, 1 << 20), "F.map": finished };
}

export const mapToolKeys = [
  "-t A.map", "-t -m D.map A.map", "-t -i 100Ki -s 300Ki A.map", "-t A.map B.map S.map", "-t -B F.map", "-t -i 2Mi A.map",
  "-D A.map", "-D F.map", "-D -m D.map F.map", "-D -i 2Mi A.map", "-D -s 0 A.map",
  "-d A.map", "-d F.map",
  "-p A.map A.map", "-p B.map A.map", "-P B.map A.map", "-p S.map A.map", "-p S.map -s 640Ki A.map", "-P F.map -m D.map A.map",
  "-l- A.map", "-l?*/ -b 4096 A.map", "-l+ -b 1000 -i 100Ki -s 300Ki A.map", "-l- -i 64Ki -o 0 -s 256Ki A.map", "-l/- -m D.map A.map", "-l+ -b 2048 -i 1s -s 0x20s A.map",
  "-a?*/,- A.map", "-a-+,?* A.map", "-n A.map", "-n -m D.map A.map", "-n -i 0x19000 -s 1Ki A.map",
  "-x B.map A.map", "-y B.map A.map", "-z B.map A.map", "-x S.map A.map", "-y S.map A.map", "-z A.map S.map",
  "-x B.map -m D.map A.map", "-y B.map -i 0x10000 -s 0x30000 A.map", "-z D.map -L -m B.map A.map",
];

export interface ToolAnswer {
  /** sha256 of the maps given, in name order. */
  inputs: string;
  /** Standard output without comment lines (a resulting map's header names the program). */
  out: string;
  /** Whether it said anything on standard error ("Nothing to do", "differ"). */
  said: boolean;
  code: number;
  /** -d: whether the mapfile is still there. */
  kept?: boolean;
}

/** Run one case with `cmd` (ddrescuelog, or salvage's `map`) in a fresh directory holding the maps. */
export function runMapTool(key: string, cmd: string[]): ToolAnswer {
  const dir = mkdtempSync(join(tmpdir(), "salvage-maptools-"));
  try {
    const maps = inputMaps();
    for (const [name, text] of Object.entries(maps)) writeFileSync(join(dir, name), text);
    const words = key.split(" ");
    const target = words[words.length - 1]!;
    if (key.startsWith("-d ")) copyFileSync(join(dir, target), join(dir, `copy-${target}`)), (words[words.length - 1] = `copy-${target}`);
    const p = Bun.spawnSync([...cmd, ...words], { cwd: dir, stdin: "ignore", env: { ...process.env, NO_COLOR: "1" } });
    const answer: ToolAnswer = {
      inputs: sha256(Object.keys(maps).sort().map((n) => maps[n]).join("")),
      out: body(p.stdout.toString("latin1")),
      said: p.stderr.length > 0,
      code: p.exitCode ?? -1,
    };
    if (key.startsWith("-d ")) answer.kept = existsSync(join(dir, `copy-${target}`)) && readFileSync(join(dir, `copy-${target}`), "latin1") === maps[target];
    return answer;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const mapToolsRecipe: Recipe<ToolAnswer> = {
  name: "ddrescue/ddrescuelog-ops",
  tools: ["ddrescuelog"],
  keys: mapToolKeys,
  run: (key, t) => runMapTool(key, [t.ddrescuelog!]),
};
