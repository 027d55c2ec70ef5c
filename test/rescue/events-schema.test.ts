// `salvage rescue --json` against docs/events.md, event by event (events-schema.ts reads the
// doc's tables): a complete run with bad areas, an interrupted one, and a failing one.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSchema, validateEvent } from "./events-schema.ts";
import { salvageCommand } from "./cli-helpers.ts";
import { randomData } from "./helpers.ts";
import { EVENTS_SCHEMA } from "../../src/cli/progress/json-events.ts";

const schema = loadSchema();
const dir = mkdtempSync(join(tmpdir(), "salvage-events-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "in.bin"), randomData(4 << 20, 31));
writeFileSync(join(dir, "test.map"), "0x0 + 1\n0x0 0x100000 +\n0x100000 0x8000 -\n0x108000 0x200000 +\n0x308000 0x800 -\n0x308800 0xF7800 +\n");

function events(out: string): Array<Record<string, any>> {
  const lines = out.split("\n").filter(Boolean);
  // One object per line, and nothing else on stdout.
  return lines.map((l) => JSON.parse(l));
}

function expectValid(list: Array<Record<string, unknown>>): void {
  const problems = list.flatMap((e) => validateEvent(schema, e));
  expect(problems).toEqual([]);
}

describe("--json events follow docs/events.md", () => {
  test("the doc's tables are read: every event, with its fields", () => {
    expect([...schema.keys()].sort()).toEqual(["error", "finished", "note", "phase", "read-error", "stage", "start", "status"]);
    expect(schema.get("status")!.map((f) => f.name)).toContain("remaining.seconds");
    expect(schema.get("finished")!.map((f) => f.name)).toContain("totals.badAreas");
    // The validator fails what it should.
    expect(validateEvent(schema, { event: "read-error", pos: 1, size: 2 })).toEqual(["read-error: 'errno' missing"]);
    expect(validateEvent(schema, { event: "read-error", pos: 1.5, size: 2, errno: 5, extra: 1 })).toHaveLength(2);
    expect(validateEvent(schema, { event: "nope" })).toHaveLength(1);
  });

  test("a complete run: start, phases, read errors, status with numeric estimates, finished with totals", () => {
    const r = Bun.spawnSync([...salvageCommand(), "rescue", "in.bin", "out.bin", "map", "--test-mode", "test.map", "--json"], { cwd: dir, stdin: "ignore" });
    expect(r.exitCode).toBe(1);
    const list = events(r.stdout.toString());
    expectValid(list);
    expect(list[0]!.event).toBe("start");
    expect(list[0]!.schema).toBe(EVENTS_SCHEMA);
    expect(list[0]!.sourceSize).toBe(4 << 20);
    expect(list[0]!.resumed).toBe(false);
    const end = list[list.length - 1]!;
    expect(end.event).toBe("finished");
    expect(end).toMatchObject({ outcome: "finished", exitCode: 1, resume: null, message: "Finished" });
    expect(end.totals).toMatchObject({ domain: 4 << 20, nonTried: 0, badSector: 0x8000 + 0x800, badAreas: 2 });
    expect(end.totals.rescued).toBe((4 << 20) - 0x8800);
    const kinds = new Set(list.map((e) => e.event));
    for (const k of ["phase", "read-error", "status"]) expect(kinds.has(k)).toBe(true);
    expect(list.filter((e) => e.event === "status").every((e) => e.remaining.seconds === null || typeof e.remaining.seconds === "number")).toBe(true);
  }, 30_000);

  test("-i/-o: status events give opos as ipos moved by the output position minus the input position", () => {
    const r = Bun.spawnSync([...salvageCommand(), "rescue", "-i", "1Mi", "-o", "3Mi", "in.bin", "shifted.bin", "shifted.map", "--test-mode", "test.map", "--json"], { cwd: dir, stdin: "ignore" });
    expect(r.exitCode).toBe(1);
    const list = events(r.stdout.toString());
    expectValid(list);
    const status = list.filter((e) => e.event === "status");
    expect(status.length).toBeGreaterThan(0);
    for (const e of status) expect(e.opos - e.ipos).toBe(2 << 20);
    expect(status.some((e) => e.ipos >= 1 << 20)).toBe(true);
  }, 30_000);

  test("an interrupted run ends with a finished event that says so and how to resume", async () => {
    const p = Bun.spawn([...salvageCommand(), "rescue", "in.bin", "int.bin", "int.map", "--test-mode", "test.map", "--json"], { cwd: dir, stdin: "ignore", stdout: "pipe", env: { ...process.env, SALVAGE_TEST_READ_DELAY_MS: "50" } });
    await Bun.sleep(1200);
    p.kill("SIGINT");
    expect(await p.exited).toBe(130);
    const list = events(await new Response(p.stdout).text());
    expectValid(list);
    const end = list[list.length - 1]!;
    expect(end).toMatchObject({ event: "finished", outcome: "interrupted", exitCode: 130, message: "Interrupted by user" });
    expect(end.resume).toBe("salvage rescue in.bin int.bin int.map --test-mode test.map --json");
    // Resuming says so in its start event.
    const again = Bun.spawnSync([...salvageCommand(), "rescue", "in.bin", "int.bin", "int.map", "--test-mode", "test.map", "--json"], { cwd: dir, stdin: "ignore" });
    const start = events(again.stdout.toString())[0]!;
    expect(start).toMatchObject({ event: "start", resumed: true });
    expect(start.initial.rescued).toBeGreaterThan(0);
  }, 30_000);

  test("a fatal error is an error event, the last one, with the exit code", () => {
    mkdirSync(join(dir, "a-directory"), { recursive: true });
    for (const extra of [["--view", "bogus"], []]) {
      const r = Bun.spawnSync([...salvageCommand(), "rescue", "in.bin", "err.bin", "a-directory", "--json", ...extra], { cwd: dir, stdin: "ignore" });
      expect(r.exitCode).toBe(2);
      const list = events(r.stdout.toString());
      expectValid(list);
      expect(list[list.length - 1]).toMatchObject({ event: "error", exitCode: 2 });
      expect(r.stderr.toString()).toContain(list[list.length - 1]!.message);
    }
  }, 30_000);
});
