// The storage graph behind every "same storage?" refusal, on a fake sysfs: a disk with two
// partitions and a device-mapper device built on the second, one of them mounted, one
// used as swap. Real kernels without partition tables or device-mapper (this VM has
// neither) cannot show these; the device nodes are made with mknod (root) on unused
// major numbers (240, 241: "local/experimental use"), so nothing real is touched.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isRoot, scratchDir, skipReason } from "../helpers/binary.ts";
import { majorMinor, StorageGraph } from "../../src/io/storage-identity.ts";

const scratch = scratchDir("storage-graph");
afterAll(() => scratch.cleanup());
const root = scratch.path;
const sys = join(root, "sys");
const at = (name: string) => join(root, name);
const reason = isRoot ? undefined : "mknod needs root";

function device(dir: string, dev: string, partition = false): void {
  mkdirSync(join(dir, "holders"), { recursive: true });
  mkdirSync(join(dir, "slaves"), { recursive: true });
  writeFileSync(join(dir, "dev"), `${dev}\n`);
  if (partition) writeFileSync(join(dir, "partition"), "1\n");
  mkdirSync(join(sys, "dev/block"), { recursive: true });
  symlinkSync(dir, join(sys, "dev/block", dev));
}

let graph: StorageGraph;

beforeAll(() => {
  if (reason) return;
  const blocks = join(sys, "devices/virtual/block");
  device(join(blocks, "sdx"), "240:0");
  device(join(blocks, "sdx/sdx1"), "240:1", true);
  device(join(blocks, "sdx/sdx2"), "240:2", true);
  device(join(blocks, "dm-7"), "241:0");
  symlinkSync(join(blocks, "sdx/sdx2"), join(blocks, "dm-7/slaves/sdx2"));
  symlinkSync(join(blocks, "dm-7"), join(blocks, "sdx/sdx2/holders/dm-7"));
  mkdirSync(join(sys, "block"), { recursive: true });
  for (const [name, mm] of [["sdx", "240 0"], ["sdx1", "240 1"], ["sdx2", "240 2"], ["dm7", "241 0"]] as const) {
    const p = Bun.spawnSync(["mknod", at(name), "b", ...mm.split(" ")]);
    if (p.exitCode !== 0) throw new Error(p.stderr.toString());
  }
  // dm-7 is mounted (its source given by a path that does not exist here: the
  // major:minor field decides); sdx1 is swap.
  writeFileSync(at("mountinfo"), "22 27 0:21 / /proc rw - proc proc rw\n36 25 241:0 / /mnt/with\\040space rw,relatime - ext4 /nonexistent/dm-7 rw\n");
  writeFileSync(at("swaps"), `Filename\tType\tSize\tUsed\tPriority\n${at("sdx1")}\tpartition\t1024\t0\t-2\n`);
  graph = new StorageGraph({ sys, mountinfo: at("mountinfo"), swaps: at("swaps") });
});

describe("overlap", () => {
  test("a partition and its disk overlap both ways; sibling partitions do not", () => {
    if (skipReason(reason)) return;
    expect(graph.overlap(at("sdx1"), at("sdx"))).toBe("/dev/sdx1 (240:1) is a partition of /dev/sdx (240:0)");
    expect(graph.overlap(at("sdx"), at("sdx1"))).toBe("/dev/sdx1 (240:1) is a partition of /dev/sdx (240:0), the source");
    expect(graph.overlap(at("sdx1"), at("sdx2"))).toBeNull();
  });

  test("a device-mapper device overlaps what it is built on, and that disk", () => {
    if (skipReason(reason)) return;
    expect(graph.overlap(at("sdx2"), at("dm7"))).toBe("/dev/dm-7 (241:0) is built on /dev/sdx2 (240:2), the source");
    expect(graph.overlap(at("dm7"), at("sdx"))).toBe("/dev/sdx2 (240:2) is a partition of /dev/sdx (240:0)");
    expect(graph.overlap(at("sdx1"), at("dm7"))).toBeNull();
  });

  test("two names of one node are the same device", () => {
    if (skipReason(reason)) return;
    Bun.spawnSync(["mknod", at("again"), "b", "240", "1"]);
    expect(graph.overlap(at("sdx1"), at("again"))).toBe(`'${at("again")}' and '${at("sdx1")}' are the same /dev/sdx1 (240:1)`);
  });
});

describe("in use", () => {
  test("a disk holding a mounted device-mapper device, through its partition", () => {
    if (skipReason(reason)) return;
    expect(graph.inUse(at("sdx"))).toBe("/dev/dm-7 holds the filesystem mounted on /mnt/with space");
    expect(graph.inUse(at("sdx2"))).toBe("/dev/dm-7 holds the filesystem mounted on /mnt/with space");
  });

  test("a device built on a mounted one, and a partition of a disk mounted whole", () => {
    if (skipReason(reason)) return;
    const g = new StorageGraph({ sys, mountinfo: at("mountinfo2"), swaps: at("none") });
    writeFileSync(at("mountinfo2"), "40 25 240:2 / /mnt/part2 rw - ext4 /nonexistent rw\n");
    expect(g.inUse(at("dm7"))).toBe("/dev/sdx2 holds the filesystem mounted on /mnt/part2");
    writeFileSync(at("mountinfo2"), "40 25 240:0 / /mnt/whole rw - vfat /nonexistent rw\n");
    expect(g.inUse(at("sdx1"))).toBe("/dev/sdx holds the filesystem mounted on /mnt/whole");
  });

  test("swap", () => {
    if (skipReason(reason)) return;
    expect(graph.inUse(at("sdx1"))).toBe("/dev/sdx1 is in use as swap");
  });

  test("an unused device and a plain file are not in use", () => {
    if (skipReason(reason)) return;
    writeFileSync(at("plain.img"), "x");
    expect(graph.inUse(at("plain.img"))).toBeNull();
    Bun.spawnSync(["mknod", at("other"), "b", "240", "9"]);
    expect(graph.inUse(at("other"))).toBeNull();
  });
});

test("dev_t decoding follows glibc (12-bit major, 20-bit minor split across the word)", () => {
  expect(majorMinor(0x0700n)).toBe("7:0");
  expect(majorMinor(0xfe00n)).toBe("254:0");
  expect(majorMinor(0x10305n)).toBe("259:5");
  // major 259, minor 300: minor's high bits sit above the major's low 12 bits.
  const dev = (259n << 8n) | (300n & 0xffn) | ((300n & ~0xffn) << 12n);
  expect(majorMinor(dev)).toBe("259:300");
});
