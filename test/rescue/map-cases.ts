// ddrescuelog's answers for map-command.test.ts, recorded by scripts/record-oracles.ts:
// -l lists of a random map (its hash is recorded with them) and a -c mapfile made from a
// bad-block list.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { serializeMapfile } from "../../src/formats/mapfile.ts";
import { StatusMap } from "../../src/rescue/mapfile/status-map.ts";
import { sha256, type Recipe } from "../helpers/oracle.ts";
import { rng } from "./helpers.ts";

export function randomMap(seed: number, size: number): string {
  const r = rng(seed);
  const m = new StatusMap(size, "+");
  for (let i = 0; i < 30; i++) m.set(Math.floor((r() * size) / 512) * 512, 512 * (1 + Math.floor(r() * 50)), "?*/-"[Math.floor(r() * 4)] as "-");
  return serializeMapfile({ current: { pos: 0, status: "/", pass: 1 }, blocks: m.extents() });
}

export const listCases = [["-", 512], ["-", 4096], ["?*/-", 1024], ["/*", 2048]] as const;
export const listKey = (types: string, bs: number) => `-l${types} -b${bs}`;
export const LIST_INPUT = "3\n4\n5\n17\n100\n101\n4000\n";
export const createKey = "-b4096 -s 33554432 -c-+";
export const body = (t: string) => t.split("\n").filter((l) => !l.startsWith("#")).join("\n");

export interface LogAnswer {
  /** sha256 of the map it was given (randomMap(1, 8 MiB)), or of the list */
  input: string;
  output: string;
}

export const ddrescuelogRecipe: Recipe<LogAnswer> = {
  name: "ddrescue/ddrescuelog",
  tools: ["ddrescuelog"],
  keys: [...listCases.map(([t, b]) => listKey(t, b)), createKey],
  run(key, t) {
    const dir = mkdtempSync(join(tmpdir(), "salvage-ddrlog-"));
    try {
      if (key === createKey) {
        writeFileSync(join(dir, "in.list"), LIST_INPUT);
        Bun.spawnSync(["sh", "-c", `"${t.ddrescuelog}" -b4096 -s 33554432 -c-+ ref.map < in.list`], { cwd: dir });
        return { input: sha256(LIST_INPUT), output: body(readFileSync(join(dir, "ref.map"), "latin1")) };
      }
      const map = randomMap(1, 8 << 20);
      writeFileSync(join(dir, "r.map"), map);
      const [types, bs] = listCases.find(([ty, b]) => listKey(ty, b) === key)!;
      return { input: sha256(map), output: Bun.spawnSync([t.ddrescuelog!, `-l${types}`, `-b${bs}`, "r.map"], { cwd: dir }).stdout.toString() };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
