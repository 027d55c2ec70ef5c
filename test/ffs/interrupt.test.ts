// Ctrl-C / SIGTERM during getfree and undelete on a slow disk (the simulator sleeps in
// every read): the compiled binary stops within a second, leaves no temporary file, keeps
// the pieces it had finished, exits 130; `undelete` into the same directory then works.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MemorySource } from "../../src/io/memory-source.ts";
import { findSuperblock } from "../../src/ffs/superblock.ts";
import { walkFree, walkFreeAsync, type FreeSink } from "../../src/ffs/free-walk.ts";
import { fixtureBytes, repoRoot, scratchDir } from "./fixtures.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { skipBecause } from "../helpers/needs.ts";
import { manyDeletedRecipe, recordedMany, type ManyDeleted } from "./makefs-cases.ts";

const bin = join(repoRoot, "dist/salvage");
const noBin = existsSync(bin) ? undefined : `${bin} not built (bun scripts/build.ts; npm test builds it)`;
const many = loadOracle<ManyDeleted>(manyDeletedRecipe.name);

const env = { ...process.env, NO_COLOR: "1" };

/**
 * Every 1 MiB read of the 8 MiB image sleeps about 0.4 s: the walk takes ~1.6 s with its
 * two readers (src/io/read-pool.ts), long enough after the first pieces for a signal to
 * land mid-walk on a loaded machine, short enough for a stop within the second it allows.
 */
const slowDisk = "slow 0-16383 200us\n";

interface Interrupted {
  code: number;
  /** ms from the signal to the exit */
  afterSignal: number;
  stderr: string;
}

/**
 * Run `salvage simulate ... -- salvage ARGS` in its own process group and, once `ready()`
 * says the work has started, send `signal` to the whole group, as a terminal's Ctrl-C does.
 */
async function interrupt(dir: string, image: string, args: string[], ready: () => boolean, signal: "SIGINT" | "SIGTERM"): Promise<Interrupted> {
  const damage = join(dir, "slow.damage");
  writeFileSync(damage, slowDisk);
  const p = Bun.spawn([bin, "simulate", "--image", image, "--damage", damage, "--sleep-scale", "1", "--", bin, ...args], {
    detached: true, stdin: "ignore", stdout: "ignore", stderr: "pipe", env,
  });
  const started = performance.now();
  while (!ready()) {
    if (p.exitCode !== null || performance.now() - started > 5000) throw new Error("the run ended or never started before the signal");
    await Bun.sleep(10);
  }
  const sent = performance.now();
  process.kill(-p.pid, signal);
  const code = await p.exited;
  return { code, afterSignal: performance.now() - sent, stderr: await new Response(p.stderr).text() };
}

function pieces(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const n of readdirSync(dir)) if (n.startsWith("piece")) m.set(n, readFileSync(join(dir, n), "latin1"));
  return m;
}

const temps = (dir: string) => readdirSync(dir).filter((n) => n.endsWith(".partial"));

describe.skipIf(skipBecause(noBin))("interrupting the compiled binary", () => {
  let dir = "";
  let image = "";
  let reference = new Map<string, string>();

  beforeAll(() => {
    dir = join(scratchDir(), "interrupt");
    // The recorded makefs image of 60 deleted files (makefs-cases.ts), 8 MiB.
    image = recordedMany(recorded(many, manyDeletedRecipe.name, "le")).image;
    const r = Bun.spawnSync([bin, "undelete", "--classic", image, join(dir, "reference")], { env, stderr: "pipe" });
    expect(r.exitCode).toBe(0);
    reference = pieces(join(dir, "reference"));
  });

  test("undelete: SIGINT stops it within a second; finished pieces kept, none half-written; a rerun completes", async () => {
    const out = join(dir, "undelete-out");
    // Pieces keep temporary names until the end (one syncfs for all): a second one begun
    // means the first is finished.
    const begun = () => (existsSync(out) ? readdirSync(out).filter((n) => /^\.piece\d+\./.test(n)).length : 0);
    const r = await interrupt(dir, image, ["undelete", "--classic", image, out], () => begun() >= 2, "SIGINT");
    expect(r.code).toBe(130);
    expect(r.afterSignal).toBeLessThan(2000);
    expect(r.stderr.split("\n").filter((l) => l.startsWith("salvage: interrupted by SIGINT"))).toHaveLength(1);
    expect(temps(out)).toEqual([]);
    // The walk was cut short: fewer pieces than a full run, each identical to the full run's.
    const kept = pieces(out);
    expect(kept.size).toBeGreaterThan(0);
    expect(kept.size).toBeLessThan(reference.size);
    for (const [name, text] of kept) expect(text === reference.get(name)).toBe(true);
    const report = readFileSync(join(out, "report.txt"), "utf8").trimEnd().split("\n");
    expect(report.at(-1)).toStartWith("# INTERRUPTED by SIGINT");
    expect(report.filter((l) => /: (complete|partial) /.test(l))).toHaveLength(kept.size);

    // A foreign file makes the directory someone else's: refused, nothing deleted.
    writeFileSync(join(out, "notes.txt"), "mine\n");
    const refused = Bun.spawnSync([bin, "undelete", "--classic", image, out], { env, stderr: "pipe" });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.toString()).toContain("is not empty");
    expect(pieces(out).size).toBe(kept.size);
    Bun.spawnSync(["rm", join(out, "notes.txt")]);

    const again = Bun.spawnSync([bin, "undelete", "--classic", image, out], { env, stderr: "pipe" });
    expect(again.exitCode).toBe(0);
    expect(again.stderr.toString()).toContain("replacing the output of an interrupted undelete");
    expect(pieces(out)).toEqual(reference);
    expect(readFileSync(join(out, "report.txt"), "utf8")).not.toContain("INTERRUPTED");
    // A finished run is not replaced.
    expect(Bun.spawnSync([bin, "undelete", "--classic", image, out], { env }).exitCode).toBe(2);
  });

  test("getfree | textpieces: SIGINT to both; textpieces drops the piece in progress and keeps the finished ones", async () => {
    const sub = join(dir, "textpieces");
    mkdirSync(sub);
    const damage = join(dir, "slow-tp.damage");
    writeFileSync(damage, slowDisk);
    // --keep-uniform: the same fragment stream undelete cuts, so the same pieces.
    const getfree = Bun.spawn([bin, "simulate", "--image", image, "--damage", damage, "--sleep-scale", "1", "--", bin, "getfree", "--keep-uniform", image], {
      detached: true, stdin: "ignore", stdout: "pipe", stderr: "ignore", env,
    });
    const textpieces = Bun.spawn([bin, "textpieces", join(sub, "piece"), "--fsize", "1024"], { stdin: getfree.stdout, stdout: "ignore", stderr: "pipe", env });
    const started = performance.now();
    while (!readdirSync(sub).some((n) => /^piece\d+p?$/.test(n))) {
      if (textpieces.exitCode !== null || performance.now() - started > 5000) throw new Error("textpieces ended or never started");
      await Bun.sleep(10);
    }
    const sent = performance.now();
    process.kill(-getfree.pid, "SIGINT");
    process.kill(textpieces.pid, "SIGINT");
    const code = await textpieces.exited;
    await getfree.exited;
    expect(code).toBe(130);
    expect(performance.now() - sent).toBeLessThan(2000);
    expect(await new Response(textpieces.stderr).text()).toContain("salvage: interrupted by SIGINT: the piece in progress was not written");
    expect(temps(sub)).toEqual([]);
    const kept = pieces(sub);
    expect(kept.size).toBeGreaterThan(0);
    expect(kept.size).toBeLessThan(reference.size);
    for (const [name, text] of kept) expect(text === reference.get(name)).toBe(true);
  });

  test("undelete refuses an interrupted run of another filesystem", () => {
    const out = join(dir, "other-fs");
    mkdirSync(out);
    writeFileSync(join(out, "piece0001"), "text\n");
    writeFileSync(join(out, "report.txt"), "# salvage undelete /elsewhere.img: UFS1 little-endian, fragment size 1024\n# INTERRUPTED by SIGINT: incomplete\n");
    const r = Bun.spawnSync([bin, "undelete", "--classic", image, out], { env, stderr: "pipe" });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.toString()).toContain("interrupted undelete of another filesystem");
    expect(readdirSync(out).sort()).toEqual(["piece0001", "report.txt"]);
  });

  test("getfree -o FILE: SIGTERM leaves neither FILE nor its temporary file", async () => {
    const sub = join(dir, "getfree");
    mkdirSync(sub);
    const file = join(sub, "free.bin");
    const r = await interrupt(dir, image, ["getfree", image, "-o", file, "--index", join(sub, "free.idx")], () => temps(sub).length > 0, "SIGTERM");
    expect(r.code).toBe(130);
    expect(r.afterSignal).toBeLessThan(2000);
    expect(r.stderr).toContain("salvage: interrupted by SIGTERM");
    expect(readdirSync(sub)).toEqual([]);
  });
});

describe("walkFreeAsync", () => {
  const data = fixtureBytes("deleted_ufs2_freebsd_le.img.gz");
  const collect = () => {
    const frags: number[] = [];
    const sink: FreeSink = {
      fragments: (_b, count, frag) => { for (let i = 0; i < count; i++) frags.push(frag + i); },
      unreadable: () => { throw new Error("no damage expected"); },
      groupError: (m) => { throw new Error(m); },
    };
    return { frags, sink };
  };

  test("walks the same fragments as walkFree, giving the event loop turns", async () => {
    const src = new MemorySource(data);
    const sb = findSuperblock(src);
    const a = collect();
    const whole = walkFree(src, sb, a.sink, { keepUniform: true, chunkBytes: 8192 });
    const b = collect();
    let turns = 0;
    const tick = () => { turns++; if (!done) setImmediate(tick); };
    let done = false;
    setImmediate(tick);
    const stats = await walkFreeAsync(src, sb, b.sink, { keepUniform: true, chunkBytes: 8192, yieldEveryMs: 0 });
    done = true;
    expect(b.frags).toEqual(a.frags);
    expect(stats).toEqual(whole);
    expect(stats.stopped).toBe(false);
    expect(turns).toBeGreaterThan(10);
  });

  test("shouldStop ends the walk after the current read; what was passed is a prefix", async () => {
    const src = new MemorySource(data);
    const sb = findSuperblock(src);
    const a = collect();
    walkFree(src, sb, a.sink, { keepUniform: true, chunkBytes: 8192 });
    const b = collect();
    const stats = await walkFreeAsync(src, sb, b.sink, { keepUniform: true, chunkBytes: 8192, shouldStop: () => b.frags.length >= 20 });
    expect(stats.stopped).toBe(true);
    expect(b.frags.length).toBeGreaterThanOrEqual(20);
    expect(b.frags.length).toBeLessThan(a.frags.length);
    expect(b.frags).toEqual(a.frags.slice(0, b.frags.length));
    expect(stats.passedFragments).toBe(b.frags.length);
  });
});
