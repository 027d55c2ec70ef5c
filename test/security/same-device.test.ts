// Issue 11, items 6 and 7: the same storage under another name, and storage in use.
// A second device node (mknod), a loop device backed by the source file, a partition and
// its disk, the filesystem an image would be written into: none may become the
// destination of a rescue, a copy or getfree. A mounted filesystem (or a disk holding
// one, or the image file behind a mounted loop device) is never written. Loop devices
// and mounts need root; without root (or losetup) every test says why it skipped.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isRoot, runBinary, salvageBinary, scratchDir, skipReason } from "../helpers/binary.ts";
import { randomData } from "../rescue/helpers.ts";

const scratch = scratchDir("same-device");
const dir = scratch.path;
const at = (name: string) => join(dir, name);
const salvage = (...argv: string[]) => runBinary([salvageBinary(), ...argv], { cwd: dir });

const why = !isRoot ? "loop devices and mknod need root" : !Bun.which("losetup") ? "losetup not installed (util-linux)" : undefined;
const noExt4 = Bun.which("mkfs.ext4") ? undefined : "mkfs.ext4 not installed (e2fsprogs)";
const loops: string[] = [];
const mounts: string[] = [];

function sh(argv: string[]): string {
  const p = Bun.spawnSync(argv, { stdin: "ignore" });
  if (p.exitCode !== 0) throw new Error(`${argv.join(" ")}: ${p.stderr.toString().trim()}`);
  return p.stdout.toString().trim();
}

function attach(file: string, partscan = false): string {
  const dev = sh(["losetup", ...(partscan ? ["-P"] : []), "-f", "--show", file]);
  loops.push(dev);
  return dev;
}

/** An MBR with one Linux partition (type 0x83) from sector `start`, `count` sectors long. */
function mbrDisk(size: number, start: number, count: number): Uint8Array {
  const disk = new Uint8Array(size);
  const v = new DataView(disk.buffer);
  disk[446 + 4] = 0x83;
  v.setUint32(446 + 8, start, true);
  v.setUint32(446 + 12, count, true);
  disk[510] = 0x55;
  disk[511] = 0xaa;
  return disk;
}

/** The partition node of a partition-scanned loop device, or null when the kernel finds none. */
async function partitionOf(disk: string): Promise<string | null> {
  for (let i = 0; i < 20 && !existsSync(`${disk}p1`); i++) await Bun.sleep(100);
  return existsSync(`${disk}p1`) ? `${disk}p1` : null;
}

const noPartitions = "the kernel found no partition on a loop device with an MBR (no CONFIG_MSDOS_PARTITION?); test/security/storage-graph.test.ts covers partitions with a fake sysfs";

const source = randomData(1 << 20, 6);
let srcLoop = "";
let alias = "";

beforeAll(() => {
  writeFileSync(at("src.img"), source);
  if (why) return;
  srcLoop = attach(at("src.img"));
  const rdev = statSync(srcLoop).rdev;
  alias = at("alias");
  sh(["mknod", alias, "b", String(Math.floor(rdev / 256) & 0xfff), String((rdev & 0xff) | ((rdev >> 12) & ~0xff))]);
});

afterAll(() => {
  for (const m of mounts.reverse()) Bun.spawnSync(["umount", m]);
  for (const l of loops.reverse()) Bun.spawnSync(["losetup", "-d", l]);
  scratch.cleanup();
});

const untouched = () => expect(Buffer.compare(readFileSync(at("src.img")), Buffer.from(source))).toBe(0);

describe("item 6: the source under another name is never a destination", () => {
  test("rescue --force onto a second device node of the source device", () => {
    if (skipReason(why)) return;
    const r = salvage("rescue", "-q", "--force", srcLoop, alias, "a.map");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`salvage: the destination '${alias}' and the source '${srcLoop}' are the same file: refusing to overwrite it\n`);
    untouched();
  });

  test("rescue --force from the source file onto the loop device backed by it", () => {
    if (skipReason(why)) return;
    const r = salvage("rescue", "-q", "--force", "src.img", srcLoop, "b.map");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is a loop device backed by");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    untouched();
  });

  test("rescue from the loop device onto the file behind it", () => {
    if (skipReason(why)) return;
    const r = salvage("rescue", "-q", srcLoop, "src.img", "c.map");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is a loop device backed by");
    untouched();
  });

  test("copy (safecopy mode) onto a second device node, and onto the loop device of the source file", () => {
    if (skipReason(why)) return;
    const a = salvage("copy", srcLoop, alias);
    expect(a.code).toBe(2);
    expect(a.stderr).toEndWith(`Error: destination ${alias} would overwrite the source ${srcLoop} ('${alias}' and '${srcLoop}' are the same ${srcLoop} (7:${statSync(srcLoop).rdev & 0xff}))\n`);
    const b = salvage("copy", "src.img", srcLoop);
    expect(b.code).toBe(2);
    expect(b.stderr).toStartWith(`Error: destination ${srcLoop} would overwrite the source src.img (`);
    untouched();
  });

  test("copy -o (bad-block list) onto the source is refused", () => {
    if (skipReason(why)) return;
    const r = salvage("copy", "-o", "src.img", srcLoop, "copy-out.img");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("badblock file src.img would overwrite the source");
    untouched();
  });

  test("getfree -o onto a second node of the filesystem device", () => {
    if (skipReason(why)) return;
    const r = salvage("getfree", srcLoop, "-o", alias);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("are the same file");
    untouched();
  });

  describe("partitions", () => {
    let disk = "";
    let part: string | null = null;
    beforeAll(async () => {
      if (why) return;
      writeFileSync(at("disk.img"), mbrDisk(8 << 20, 2048, 8192));
      disk = attach(at("disk.img"), true);
      part = await partitionOf(disk);
    });

    test("a partition onto its disk, and the disk onto its partition", () => {
      if (skipReason(why ?? (part ? undefined : noPartitions))) return;
      const up = salvage("rescue", "-q", "--force", part!, disk, "p1.map");
      expect(up.code).toBe(2);
      expect(up.stderr).toContain("is a partition of");
      const down = salvage("rescue", "-q", "--force", disk, part!, "p2.map");
      expect(down.code).toBe(2);
      expect(down.stderr).toContain("is a partition of");
      const copy = salvage("copy", part!, disk);
      expect(copy.code).toBe(2);
    });

    test("a partition onto an unrelated file still works", () => {
      if (skipReason(why ?? (part ? undefined : noPartitions))) return;
      const r = salvage("rescue", "-q", part!, "p1.img", "p3.map");
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(statSync(at("p1.img")).size).toBe(8192 * 512);
    });
  });
});

describe("item 7: a mounted destination is refused", () => {
  const reason = why ?? noExt4;
  let fsLoop = "";
  const mnt = at("mnt");
  beforeAll(() => {
    if (reason) return;
    writeFileSync(at("fs.img"), new Uint8Array(8 << 20));
    sh(["mkfs.ext4", "-q", "-F", at("fs.img")]);
    fsLoop = attach(at("fs.img"));
    mkdirSync(mnt, { recursive: true });
    sh(["mount", fsLoop, mnt]);
    mounts.push(mnt);
  });

  test("rescue --force onto a mounted device", () => {
    if (skipReason(reason)) return;
    const r = salvage("rescue", "-q", "--force", "src.img", fsLoop, "m1.map");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`salvage: the destination '${fsLoop}' is in use (${fsLoop} holds the filesystem mounted on ${mnt}): refusing to write onto it\n`);
  });

  test("copy onto a mounted device (copy needs no flag at all)", () => {
    if (skipReason(reason)) return;
    const r = salvage("copy", "src.img", fsLoop);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`Error: destination ${fsLoop} is in use (${fsLoop} holds the filesystem mounted on ${mnt}); refusing to write onto it\n`);
  });

  test("rescue onto the image file behind a mounted loop device", () => {
    if (skipReason(reason)) return;
    const before = readFileSync(at("fs.img"));
    const r = salvage("rescue", "-q", "src.img", "fs.img", "m2.map");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("holds the filesystem mounted on");
    expect(Buffer.compare(readFileSync(at("fs.img")), before)).toBe(0);
  });

  test("rescue of a device into an image on that same device's filesystem", () => {
    if (skipReason(reason)) return;
    const r = salvage("rescue", "-q", fsLoop, join(mnt, "self.img"), "m3.map");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("would be on the filesystem of");
    expect(existsSync(join(mnt, "self.img"))).toBe(false);
  });

  test("getfree and undelete never write into the filesystem they read", () => {
    if (skipReason(reason)) return;
    const g = salvage("getfree", fsLoop, "-o", join(mnt, "free.bin"));
    expect(g.code).toBe(2);
    expect(g.stderr).toContain("would be on the filesystem of");
    const u = salvage("undelete", fsLoop, join(mnt, "out/deeper"));
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("would be on the filesystem of");
    expect(existsSync(join(mnt, "free.bin")) || existsSync(join(mnt, "out"))).toBe(false);
  });

  test("a disk whose partition is mounted", async () => {
    if (skipReason(reason)) return;
    writeFileSync(at("pdisk.img"), mbrDisk(16 << 20, 2048, 16384));
    const disk = attach(at("pdisk.img"), true);
    if (skipReason((await partitionOf(disk)) ? undefined : noPartitions)) return;
    sh(["mkfs.ext4", "-q", "-F", `${disk}p1`]);
    mkdirSync(at("pmnt"), { recursive: true });
    sh(["mount", `${disk}p1`, at("pmnt")]);
    mounts.push(at("pmnt"));
    const r = salvage("rescue", "-q", "--force", "src.img", disk, "m4.map");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${disk}p1 holds the filesystem mounted on ${at("pmnt")}`);
    const c = salvage("copy", "src.img", disk);
    expect(c.code).toBe(2);
  });
});
