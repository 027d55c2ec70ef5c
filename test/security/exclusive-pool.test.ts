// Temporary files made ahead on the I/O threads (util/exclusive-pool.ts): each is an
// exclusive, private, hidden temporary file; those not taken are removed; a failure in the
// background is reported when a file is taken, not lost.
import { expect, test } from "bun:test";
import { lstatSync, mkdirSync, readdirSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ExclusivePool } from "../../src/util/exclusive-pool.ts";
import { scratchDir } from "../helpers/binary.ts";

const dir = scratchDir("exclusive-pool");

test("files made ahead are taken first, then made on demand; the rest are removed", async () => {
  const d = join(dir.path, "ahead");
  mkdirSync(d);
  const pool = new ExclusivePool(join(d, "piece"), "partial");
  pool.want(5);
  pool.want(3); // already on their way: nothing more
  await pool.settle();
  expect(pool.made).toBe(5);
  const names = readdirSync(d);
  expect(names).toHaveLength(5);
  for (const n of names) {
    expect(n).toMatch(/^\.piece\.[0-9a-f]{16}\.partial$/);
    const st = lstatSync(join(d, n));
    expect(st.isFile() && (st.mode & 0o777) === 0o600).toBe(true);
  }
  const taken = [pool.take(), pool.take()];
  writeSync(taken[0]!.fd, "x");
  for (let i = 0; i < 4; i++) taken.push(pool.take()); // 3 more ahead, then one made now
  expect(new Set(taken.map((t) => t.path)).size).toBe(6);
  expect(readdirSync(d)).toHaveLength(6);
  pool.discard(); // nothing left untaken
  expect(readdirSync(d)).toHaveLength(6);
  const more = new ExclusivePool(join(d, "piece"), "partial");
  more.want(4);
  await more.settle();
  more.discard();
  expect(readdirSync(d)).toHaveLength(6);
});

test("a vanished directory: the failure comes out of take(), nothing is created elsewhere", async () => {
  const d = join(dir.path, "gone");
  mkdirSync(d);
  const pool = new ExclusivePool(join(d, "piece"), "partial");
  rmSync(d, { recursive: true });
  pool.want(3);
  await pool.settle();
  expect(pool.made).toBe(0);
  expect(() => pool.take()).toThrow(/ENOENT/);
});
