// `salvage rescue --used-first` as users run it: stage events in --json order, and kill -9
// inside each stage (metadata, used data, free space) then a rerun of the same command:
// the image and the map end exactly as those of one uninterrupted run, and the map is a
// plain ddrescue mapfile throughout (ddrescuelog-readable, checked by our strict parser).
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadMapFile } from "../../src/formats/mapfile-load.ts";
import { findUsedSpace } from "../../src/fsmap/find.ts";
import { scratchDir } from "../helpers/binary.ts";
import { fixtureBytes } from "../ffs/fixtures.ts";
import { memoryReader } from "../fsmap/helpers.ts";
import { salvageCommand } from "./cli-helpers.ts";
import { loadSchema, validateEvent } from "./events-schema.ts";

const schema = loadSchema();

const scratch = scratchDir("used-first");
afterAll(() => scratch.cleanup());

const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, "0")}`;

/** in.bin (a 5 MiB UFS2) and test.map: bad sectors in a group's metadata, in used data and in free space. */
function makeDisk(dir: string): void {
  const img = fixtureBytes("ffs.bin.gz");
  writeFileSync(join(dir, "in.bin"), img);
  const u = findUsedSpace(memoryReader(img), img.length).filesystems[0]!;
  const meta = u.metadata[1]!.start + 1024;
  const lastUsed = u.used[u.used.length - 1]!;
  const data = lastUsed.start + 4096;
  const free = img.length - 64 * 1024;
  const bad = [[meta, 1024], [data, 2048], [free, 4096]].sort((a, b) => a[0]! - b[0]!);
  const lines = ["# test-mode map", `0x00000000     +               1`];
  let at = 0;
  for (const [pos, len] of bad) {
    lines.push(`${hex(at)}  ${hex(pos! - at)}  +`, `${hex(pos!)}  ${hex(len!)}  -`);
    at = pos! + len!;
  }
  lines.push(`${hex(at)}  ${hex(img.length - at)}  +`);
  writeFileSync(join(dir, "test.map"), lines.join("\n") + "\n");
}

function start(dir: string, out: string, map: string, delayMs: number, json = false) {
  return Bun.spawn([...salvageCommand(), "rescue", "--used-first", "in.bin", out, map, "--test-mode", "test.map", "--mapfile-interval", "0", json ? "--json" : "-q"], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1", SALVAGE_TEST_READ_DELAY_MS: String(delayMs) },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
}

function mapBody(path: string): string {
  const t = readFileSync(path, "latin1");
  return t.slice(t.indexOf("# current_pos"));
}

describe("rescue --used-first (CLI)", () => {
  const dir = scratch.path;
  makeDisk(dir);

  test("stage events come in order; exit 1 (bad sectors remain); the copy matches the source where readable", async () => {
    const p = start(dir, "ref.bin", "ref.map", 0, true);
    const text = await new Response(p.stdout).text();
    expect(await p.exited).toBe(1);
    const events = text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    // Every event, the stage ones included, follows docs/events.md.
    for (const e of events) expect(validateEvent(schema, e)).toEqual([]);
    expect(events.filter((e) => e.event === "finished")).toHaveLength(1);
    const stages = events.filter((e) => e.event === "stage");
    expect(stages.map((e) => `${e.index}/${e.count} ${e.stage}`)).toEqual(["1/3 metadata", "2/3 used", "3/3 free"]);
    expect(stages[1].usedBytes).toBeGreaterThan(0);
    const map = loadMapFile(join(dir, "ref.map")).map;
    expect(map.totals()["-"]).toBe(1024 + 2048 + 4096);
  });

  test("no filesystem: one line each says so, the whole disk is rescued, exit 0", async () => {
    const junk = new Uint8Array(1 << 20);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) % 251 + 1;
    writeFileSync(join(dir, "junk.bin"), junk);
    const p = Bun.spawn([...salvageCommand(), "rescue", "--used-first", "junk.bin", "junk.out", "junk.map"], { cwd: dir, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
    const err = await new Response(p.stderr).text();
    expect(await p.exited).toBe(0);
    const notes = err.split(/[\r\n]+/).filter((l) => l.startsWith("salvage: "));
    expect(notes).toEqual(["salvage: whole disk: no known filesystem", "salvage: no filesystem could be read: rescuing the whole disk"]);
    expect(Buffer.compare(readFileSync(join(dir, "junk.out")), Buffer.from(junk))).toBe(0);
  });

  test("kill -9 inside each stage, rerun: same image and map as the uninterrupted run", async () => {
    const killedIn: number[] = [];
    for (const stage of [1, 2, 3]) {
      const p = start(dir, "out.bin", "out.map", 3, true);
      const reader = p.stdout.getReader();
      let seen = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
        const m = [...seen.matchAll(/"event":"stage","stage":"\w+","index":(\d)/g)].map((x) => Number(x[1]));
        if (m.includes(stage)) {
          // a few reads into the stage
          await Bun.sleep(stage === 1 ? 5 : 40);
          p.kill("SIGKILL");
          break;
        }
      }
      await p.exited;
      if (p.signalCode === "SIGKILL") killedIn.push(stage);
      // whatever was saved (if anything yet) is a valid mapfile
      if (existsSync(join(dir, "out.map"))) loadMapFile(join(dir, "out.map"));
    }
    console.log(`killed in stages: ${killedIn.join(", ")}`);
    const last = start(dir, "out.bin", "out.map", 0);
    expect(await last.exited).toBe(1);
    expect(killedIn).toContain(2);
    expect(killedIn).toContain(3);
    expect(Buffer.compare(readFileSync(join(dir, "out.bin")), readFileSync(join(dir, "ref.bin")))).toBe(0);
    expect(mapBody(join(dir, "out.map"))).toBe(mapBody(join(dir, "ref.map")));
  }, 60_000);
});
