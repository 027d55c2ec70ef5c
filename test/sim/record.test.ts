// The read record (simulate --record) written by the preload library while real tools
// read: one record per read with its offset, length, result and virtual times; both source
// behaviours (a read meeting a bad sector stops short, or fails whole) as dd sees them; the
// file is created exclusively, private, and shared by every process of the run.
import { describe, expect, test } from "bun:test";
import { missing, skipBecause } from "../helpers/needs.ts";
import { lstatSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { emptyModel, type DamageModel } from "../../src/sim/model.ts";
import { readRecords, type ReadRecord } from "../../src/sim/read-record.ts";
import { runSimulated } from "../../src/sim/run.ts";
import { DamageError } from "../../src/sim/model.ts";
import { scratchDir, tool, writeImage } from "./helpers.ts";

const dir = scratchDir("record");
const image = join(dir, "disk.img");
writeImage(image, 1 << 20, 3); // 2048 sectors

/** 1 ms per read and nothing else, so virtual times are easy to predict. */
function model(onError: DamageModel["onError"], bad: number[] = []): DamageModel {
  const m = emptyModel(512);
  m.onError = onError;
  m.timing = { readNs: 1e6, bytePs: 0, sectorNs: 0, failNs: 5e6, seekNs: 0, travelNs: 0, sleepScale: 0 };
  m.extents = bad.map((s) => ({ first: s, count: 1, kind: "bad", fails: 0, costNs: 0, failCostNs: 0, line: 0 }));
  return m;
}

function records(path: string): ReadRecord[] {
  const out: ReadRecord[] = [];
  readRecords(path, (r) => void out.push({ ...r }));
  return out;
}

const run = (damage: DamageModel, record: string, argv: string[]) =>
  runSimulated({ image, damage, record: join(dir, record), argv, cwd: dir, stdio: "pipe", stdin: "ignore" });

describe.skipIf(skipBecause(missing("dd", "sh")))("read record", () => {
  test("dd bs=64k over a 1 MiB disk: 16 reads of 64 KiB and one at the end, 1 ms each", async () => {
    const r = await run(model("short"), "dd.rec", ["dd", `if=${image}`, "of=/dev/null", "bs=64k", "status=none"]);
    expect(r.exitCode).toBe(0);
    const recs = records(join(dir, "dd.rec"));
    expect(recs.length).toBe(17);
    recs.slice(0, 16).forEach((x, i) => {
      expect([x.offset, x.length, x.result, x.flags]).toEqual([i * 65536, 65536, 65536, 0]);
      expect([x.startNs, x.endNs]).toEqual([i * 1e6, (i + 1) * 1e6]);
    });
    // the read at the end returns 0 and costs nothing
    expect([recs[16]!.offset, recs[16]!.result, recs[16]!.flags, recs[16]!.endNs]).toEqual([1 << 20, 0, 8, 16e6]);
    expect(new Set(recs.map((x) => x.pid)).size).toBe(1);
    expect(lstatSync(join(dir, "dd.rec")).mode & 0o777).toBe(0o600);
  });

  test("short reads: a read running into a bad sector returns the good part before it", async () => {
    const r = await run(model("short", [100]), "short.rec", ["dd", `if=${image}`, "of=/dev/null", "bs=64k", "count=1", "status=none"]);
    expect(r.exitCode).toBe(0);
    const [first] = records(join(dir, "short.rec"));
    // 100 good sectors, then the bad one ended the command: error + damage + short
    expect([first!.offset, first!.length, first!.result, first!.flags]).toEqual([0, 65536, 51200, 1 | 2 | 16]);
    expect(first!.endNs - first!.startNs).toBe(1e6);
  });

  test("whole-read failures: the same read fails with EIO and costs the failed-read time", async () => {
    const r = await run(model("fail", [100]), "fail.rec", ["dd", `if=${image}`, "of=/dev/null", "bs=64k", "count=1", "status=none"]);
    expect(r.exitCode).not.toBe(0); // dd reports the input error
    const [first] = records(join(dir, "fail.rec"));
    expect([first!.offset, first!.length, first!.result, first!.flags]).toEqual([0, 65536, -5, 1 | 2]);
    expect(first!.endNs - first!.startNs).toBe(6e6);
  });

  test("every process of the run appends to the same record", async () => {
    const one = `dd if=${image} of=/dev/null bs=256k status=none`;
    await run(model("short"), "two.rec", ["sh", "-c", `${one}; ${one}`]);
    const recs = records(join(dir, "two.rec"));
    expect(recs.length).toBe(10); // 4 reads + the end, twice
    expect(new Set(recs.map((x) => x.pid)).size).toBe(2);
    // one clock for the run: the second dd starts where the first ended
    expect(recs.map((x) => x.endNs)).toEqual([1, 2, 3, 4, 4, 5, 6, 7, 8, 8].map((n) => n * 1e6));
  });

  test("the record is created exclusively: an existing file or a symlink is refused", async () => {
    writeFileSync(join(dir, "exists.rec"), "keep me");
    await expect(run(model("short"), "exists.rec", ["true"])).rejects.toThrow(DamageError);
    expect(readFileSync(join(dir, "exists.rec"), "utf8")).toBe("keep me");
    symlinkSync(join(dir, "target-of-link"), join(dir, "link.rec"));
    await expect(run(model("short"), "link.rec", ["true"])).rejects.toThrow(/cannot create the read record/);
    expect(() => lstatSync(join(dir, "target-of-link"))).toThrow();
  });

  test.skipIf(skipBecause(missing("python3")))("a tool that closes the record's descriptor and reuses its number never gets records in its file", async () => {
    // read once (the library opens the record), close every other descriptor, open a file
    // (it gets the record's old number), read again: the record must not land in that file
    const py = [
      "import os",
      `fd = os.open(${JSON.stringify(image)}, os.O_RDONLY)`,
      "os.pread(fd, 512, 0)",
      "for n in range(3, 256):",
      "    if n != fd:",
      "        try: os.close(n)",
      "        except OSError: pass",
      "out = os.open('reused.bin', os.O_WRONLY | os.O_CREAT, 0o600)",
      "os.pread(fd, 512, 512)",
      "os.close(out)",
    ].join("\n");
    const r = await run(model("short"), "closed.rec", ["python3", "-c", py]);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(dir, "reused.bin")).length).toBe(0);
    expect(records(join(dir, "closed.rec")).map((x) => [x.offset, x.result])).toEqual([[0, 512], [512, 512]]);
  });
});
