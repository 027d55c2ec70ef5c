// `salvage info` on a regular file and on a real block device (a read-only loop device).
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { isRoot, runBinary, salvageBinary, scratchDir, skipReason } from "../helpers/binary.ts";
import { skipBecause } from "../helpers/needs.ts";

const dir = scratchDir("info");
afterAll(() => dir.cleanup());

describe("salvage info", () => {
  test("regular file: kind and exact size, no sector sizes", () => {
    const file = join(dir.path, "plain.bin");
    writeFileSync(file, new Uint8Array(12345));
    const r = runBinary([salvageBinary(), "info", "--json", file]);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({ path: file, kind: "regular", size: 12345, logicalSectorSize: null, readOnly: false });
    expect(info.blksize).toBeGreaterThan(0);
  });

  test("human-readable output names kind and size", () => {
    const file = join(dir.path, "plain2.bin");
    writeFileSync(file, new Uint8Array(2048));
    const r = runBinary([salvageBinary(), "info", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("regular file");
    expect(r.stdout).toContain("2048 bytes");
  });

  test("missing path: one line, exit 2, no stack trace", () => {
    const r = runBinary([salvageBinary(), "info", join(dir.path, "nope")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("ENOENT");
    expect(r.stderr).not.toContain("    at ");
  });

  test.skipIf(skipBecause(!isRoot && "loop devices need root"))("read-only loop device: block kind, exact size, 512-byte sectors, read-only", () => {
    const image = join(dir.path, "loop.img");
    writeFileSync(image, new Uint8Array(3 * 1024 * 1024 + 512));
    const attach = Bun.spawnSync(["losetup", "-f", "--show", "-r", image]);
    if (skipReason(attach.exitCode === 0 ? undefined : `losetup failed: ${attach.stderr.toString().trim()}`)) return;
    const dev = attach.stdout.toString().trim();
    try {
      const r = runBinary([salvageBinary(), "info", "--json", dev]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        path: dev,
        kind: "block",
        size: 3 * 1024 * 1024 + 512,
        logicalSectorSize: 512,
        physicalSectorSize: 512,
        readOnly: true,
      });
    } finally {
      Bun.spawnSync(["losetup", "-d", dev]);
    }
  });
});
