// Privacy (issue 11, item 18): every file salvage creates that holds disk contents (images,
// maps, bad-block lists, timing files, pieces, reports, statistics, traces) is created 0600;
// `salvage --mode OCTAL COMMAND` widens it for one run; the umask still takes bits away.
import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary, salvageBinary, scratchDir } from "../helpers/binary.ts";

const dir = scratchDir("modes");
afterAll(() => dir.cleanup());
const at = (name: string) => join(dir.path, name);
const mode = (name: string) => statSync(at(name)).mode & 0o777;
/** Run salvage under a shell with the given umask (022 is the usual default). */
const salvage = (args: string[], umask = "022") => {
  const quoted = [salvageBinary(), ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return runBinary(["sh", "-c", `umask ${umask} && exec ${quoted}`], { cwd: dir.path });
};

describe("modes of created files", () => {
  test("every output holding disk contents is 0600 by default, under umask 022", () => {
    expect(salvage(["simulate", "make", "disk.img", "--size", "64KiB", "--pattern", "scattered", "--seed", "2"]).code).toBe(0);
    expect(salvage(["rescue", "disk.img", "rescued.img", "rescued.map"]).code).toBeLessThan(2);
    expect(salvage(["copy", "disk.img", "copied.img", "-o", "copied.badblocks", "-T", "copied.timing"]).code).toBeLessThan(2);
    // rescue and copy read the plain image (no damage): make a bad-block list to convert
    writeFileSync(at("list.badblocks"), "1\n5\n");
    expect(salvage(["map", "convert", "list.badblocks", "converted.map"]).code).toBe(0);
    expect(salvage(["map", "show", "converted.map", "--svg", "picture.svg"]).code).toBe(0);
    const stats = ["simulate", "--image", "disk.img", "--damage", "disk.img.damage", "--stats", "stats.json", "--trace", "trace.log", "--", "cat", "disk.img"];
    salvage(stats);
    writeFileSync(at("text.bin"), "plain text\n".repeat(40).padEnd(512, "\n"));
    expect(salvage(["textpieces", "piece", "--input", "text.bin", "--fsize", "512"]).code).toBe(0);
    const outputs = ["disk.img", "disk.img.damage", "rescued.img", "rescued.map", "copied.img", "copied.badblocks", "copied.timing", "converted.map", "picture.svg", "stats.json", "trace.log"];
    outputs.push(...readdirSync(dir.path).filter((n) => n.startsWith("piece")));
    expect(outputs.length).toBeGreaterThan(outputs.indexOf("trace.log") + 1); // a piece was written
    for (const name of outputs) expect([name, mode(name).toString(8)]).toEqual([name, "600"]);
  });

  test("--mode widens it; the umask still narrows it", () => {
    expect(salvage(["--mode", "0640", "simulate", "make", "wide.img", "--size", "16KiB"]).code).toBe(0);
    expect(mode("wide.img")).toBe(0o640);
    expect(salvage(["--mode=644", "copy", "wide.img", "wide-copy.img", "-o", "wide.badblocks"]).code).toBeLessThan(2);
    expect(mode("wide-copy.img")).toBe(0o644);
    expect(mode("wide.badblocks")).toBe(0o644);
    expect(salvage(["--mode", "0644", "simulate", "make", "narrow.img", "--size", "16KiB"], "077").code).toBe(0);
    expect(mode("narrow.img")).toBe(0o600);
  });

  test("a bad --mode is a usage error", () => {
    const r = salvage(["--mode", "u+rw", "info", "disk.img"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--mode: expected an octal mode");
  });
});
