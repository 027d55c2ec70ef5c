// `simulate score DAMAGE RECORD --domain MAP` through the compiled binary: a used-first
// rescue of a UFS image under the simulator, scored on the domain `map used` wrote. Only
// the domain's bytes count, and the used-first run has all of them before it goes on to
// the free space.
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "../helpers/binary.ts";
import { loadMapFile } from "../../src/formats/mapfile-load.ts";
import { formatDamageFile } from "../../src/sim/damage-file.ts";
import { emptyModel } from "../../src/sim/model.ts";
import { skipBecause } from "../helpers/needs.ts";
import { fixtureBytes } from "../ffs/fixtures.ts";
import { compiledSalvage, scratchDir } from "./helpers.ts";

const salvage = compiledSalvage();
const dir = scratchDir("score-domain");
const run = (...args: string[]) => runBinary([salvage!, ...args], { cwd: dir });

describe.skipIf(skipBecause(!salvage && "dist/salvage is not built"))("simulate score --domain", () => {
  test("only the domain's bytes are readable bytes; used-first has them all before its free-space stage", () => {
    writeFileSync(join(dir, "fs.img"), fixtureBytes("ffs.bin.gz"));
    writeFileSync(join(dir, "clean.damage"), formatDamageFile(emptyModel(512)));
    expect(run("map", "used", "fs.img", "-o", "used.map").code).toBe(0);
    const used = loadMapFile(join(dir, "used.map")).map.totals()["+"];
    for (const [rec, extra] of [["uf.rec", ["--used-first"]], ["plain.rec", []]] as const) {
      const r = run("simulate", "--image", "fs.img", "--damage", "clean.damage", "--record", rec, "--", salvage!, "rescue", "-q", ...extra, "fs.img", `${rec}.out`, `${rec}.map`);
      expect(r.code).toBe(0);
    }
    const s = run("simulate", "score", "clean.damage", "uf.rec", "plain.rec", "--domain", "used.map", "--json");
    expect(s.code).toBe(0);
    const [uf, plain] = JSON.parse(s.stdout);
    expect(uf.readableBytes).toBe(used);
    expect(plain.readableBytes).toBe(used);
    expect(uf.t["100"]).toBeLessThan(uf.totalSeconds);
    expect(uf.recoveredBytes).toBe(used);
    const whole = JSON.parse(run("simulate", "score", "clean.damage", "uf.rec", "--json").stdout);
    expect(whole[0].readableBytes).toBe(5 << 20);
  });
});
