// Issue 11, "data destroyed by a slip": each test is a mistake a tired user makes at a
// root prompt, and each failed on the code before the fix (the image became a mapfile,
// the filesystem was emptied, the map was replaced, "the map is saved" with no map...).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { fixturePath } from "../ffs/fixtures.ts";
import { peer } from "../helpers/needs.ts";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isRoot, runBinary, salvageBinary, scratchDir, skipReason } from "../helpers/binary.ts";
import { randomData } from "../rescue/helpers.ts";
import { parseMapfile, serializeMapfile } from "../../src/formats/mapfile.ts";

const scratch = scratchDir("slips");
afterAll(() => scratch.cleanup());
const dir = scratch.path;
const at = (name: string) => join(dir, name);
const salvage = (...argv: string[]) => runBinary([salvageBinary(), ...argv], { cwd: dir });

const source = randomData(1 << 20, 11);
writeFileSync(at("src.img"), source);

/** Every block a map calls rescued ('+') must hold the source's bytes in the image. */
function expectMapTruthful(mapPath: string, imagePath: string): void {
  const map = parseMapfile(readFileSync(mapPath, "latin1"));
  const image = existsSync(imagePath) ? readFileSync(imagePath) : Buffer.alloc(0);
  for (const b of map.blocks.filter((b) => b.status === "+")) {
    expect(Buffer.compare(image.subarray(b.pos, b.pos + b.size), Buffer.from(source.subarray(b.pos, b.pos + b.size)))).toBe(0);
  }
}

describe("item 4: rescue SRC x.img x.img (image and map the same new path)", () => {
  test("is refused before anything is written", () => {
    const r = salvage("rescue", "-q", "src.img", "x.img", "x.img");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("salvage: the destination and the mapfile are the same file 'x.img': give them different names\n");
    expect(existsSync(at("x.img"))).toBe(false);
  });

  test("the destination is never the --test-mode or --domain mapfile it reads", () => {
    writeFileSync(at("t4.map"), "0 + 1\n0 0x100000 +\n");
    for (const opt of ["--test-mode", "--domain"]) {
      const r = salvage("rescue", "-q", opt, "t4.map", "src.img", "t4.map", "t4-out.map");
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`the destination 't4.map' and the ${opt} mapfile 't4.map' are the same file`);
      expect(readFileSync(at("t4.map"), "latin1")).toBe("0 + 1\n0 0x100000 +\n");
    }
  });

  test("also through another spelling of the same path", () => {
    mkdirSync(at("sub"), { recursive: true });
    const r = salvage("rescue", "-q", "src.img", "sub/y.img", "./sub/../sub/y.img");
    expect(r.code).toBe(2);
    expect(existsSync(at("sub/y.img"))).toBe(false);
  });
});

describe("item 5: getfree FS -o FS / --index FS", () => {
  let fs = "";
  let original = new Uint8Array();
  beforeAll(() => {
    // A real UFS1 image made by makefs (committed with its provenance, test/fixtures/ffs).
    fs = at("ffs.img");
    writeFileSync(fs, readFileSync(fixturePath("makefs_ufs1_le.img.gz")));
    original = readFileSync(fs);
  });

  for (const [name, args] of [
    ["-o FS", ["-o", "ffs.img"]],
    ["--index FS", ["-o", "free.bin", "--index", "ffs.img"]],
    ["-o and --index the same file", ["-o", "free.bin", "--index", "free.bin"]],
  ] as const) {
    test(name, () => {
      const r = salvage("getfree", "ffs.img", ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^salvage: the (output|index|output and the index) .*same file/);
      expect(Buffer.compare(readFileSync(fs), original)).toBe(0);
      expect(existsSync(at("free.bin"))).toBe(false);
    });
  }

  test("-o and --index on other files still work", () => {
    const r = salvage("getfree", "ffs.img", "-o", "free2.bin", "--index", "free2.idx");
    expect(r.code).toBe(0);
    expect(statSync(at("free2.bin")).size).toBeGreaterThan(0);
  });
});

describe("item 8: map convert never replaces an existing OUTPUT without --force", () => {
  const inProgress = serializeMapfile({
    current: { pos: 0x30000, status: "/", pass: 1 },
    blocks: [
      { pos: 0, size: 0x10000, status: "+" },
      { pos: 0x10000, size: 0x8000, status: "/" },
      { pos: 0x18000, size: 0x8000, status: "-" },
      { pos: 0x20000, size: 0x40000, status: "?" },
    ],
  });

  test("swapped arguments (list map instead of map list) leave the map alone", () => {
    writeFileSync(at("disk.map"), inProgress);
    writeFileSync(at("disk.list"), "100\n101\n");
    const r = salvage("map", "convert", "disk.list", "disk.map");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'disk.map' exists: refusing to replace it (are IN and OUT the right way round?); use --force");
    expect(readFileSync(at("disk.map"), "latin1")).toBe(inProgress);
  });

  test("an existing bad-block list is not replaced either; --force replaces", () => {
    writeFileSync(at("old.list"), "7\n");
    expect(salvage("map", "convert", "disk.map", "old.list").code).toBe(2);
    expect(readFileSync(at("old.list"), "latin1")).toBe("7\n");
    expect(salvage("map", "convert", "disk.map", "old.list", "--force").code).toBe(0);
    expect(readFileSync(at("old.list"), "latin1")).not.toBe("7\n");
  });

  test("OUTPUT = IN is refused even with --force", () => {
    const r = salvage("map", "convert", "disk.map", "./disk.map", "--force");
    expect(r.code).toBe(2);
    expect(readFileSync(at("disk.map"), "latin1")).toBe(inProgress);
  });

  test("map show --svg onto the mapfile is refused", () => {
    const r = salvage("map", "show", "disk.map", "--svg", "disk.map");
    expect(r.code).toBe(2);
    expect(readFileSync(at("disk.map"), "latin1")).toBe(inProgress);
  });
});

describe("item 9: a mapfile that cannot be written is found before the first read", () => {
  test("a missing directory: refused at once, nothing read, no image created", () => {
    const t0 = performance.now();
    // Each read takes 3 s: a rescue that read first would take at least that long.
    const r = runBinary([salvageBinary(), "rescue", "-q", "src.img", "nine.img", "no/such/dir/nine.map"], { cwd: dir, env: { ...process.env, NO_COLOR: "1", SALVAGE_TEST_READ_DELAY_MS: "3000" } });
    expect(performance.now() - t0).toBeLessThan(2500);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("salvage: cannot write the mapfile 'no/such/dir/nine.map': its directory does not exist (ENOENT); nothing was read\n");
    expect(existsSync(at("nine.img"))).toBe(false);
  });

  test("a read-only filesystem (root: a read-only tmpfs)", () => {
    if (skipReason(isRoot ? undefined : "mounting a read-only tmpfs needs root")) return;
    mkdirSync(at("ro"), { recursive: true });
    expect(Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", at("ro")]).exitCode).toBe(0);
    try {
      const r = salvage("rescue", "-q", "src.img", "ro9.img", "ro/nine.map");
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("cannot write the mapfile 'ro/nine.map': read-only filesystem (EROFS); nothing was read");
      expect(existsSync(at("ro9.img"))).toBe(false);
    } finally {
      Bun.spawnSync(["umount", at("ro")]);
    }
  });

  test("a directory where the map should be", () => {
    mkdirSync(at("mapdir"), { recursive: true });
    chmodSync(at("mapdir"), 0o755);
    const r = salvage("rescue", "-q", "src.img", "d9.img", "mapdir");
    expect(r.code).toBe(2);
    expect(existsSync(at("d9.img"))).toBe(false);
  });
});

describe("item 10: on a full disk the messages say what is really on disk", () => {
  const reason = isRoot ? undefined : "a full filesystem is made with a small tmpfs, which needs root";
  const full = at("full");
  beforeAll(() => {
    if (reason) return;
    mkdirSync(full, { recursive: true });
    if (Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", full]).exitCode !== 0) throw new Error("mount tmpfs failed");
  });
  afterAll(() => {
    if (!reason) Bun.spawnSync(["umount", full]);
  });
  const empty = () => rmSync(full, { recursive: true, force: true }) ?? mkdirSync(full, { recursive: true });
  const clear = () => {
    for (const f of ["o.img", "o.map", "filler"]) rmSync(join(full, f), { force: true });
  };

  test("image and map on the full disk: never 'the map is saved' without a map", () => {
    if (skipReason(reason)) return;
    clear();
    const r = salvage("rescue", "-q", "src.img", "full/o.img", "full/o.map");
    expect(r.code).toBe(2);
    expect(r.stderr).toStartWith("salvage: no space left on the device of 'full/o.img'");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    // Whatever is on disk is true, and the message says which it is: this run's map, the
    // state before it, or no map at all.
    const map = join(full, "o.map");
    if (existsSync(map)) expectMapTruthful(map, join(full, "o.img"));
    if (/the map 'full\/o\.map' is saved/.test(r.stderr)) expect(existsSync(map)).toBe(true);
    else expect(r.stderr).toMatch(/the map could not be saved \(no space left on the device \(ENOSPC\)\): (no map was saved: a rerun starts from the beginning|'full\/o\.map' still holds)/);
  });

  test("image on the full disk, map elsewhere: the map is saved and true", () => {
    if (skipReason(reason)) return;
    clear();
    rmSync(at("o10.map"), { force: true });
    const r = salvage("rescue", "-q", "src.img", "full/o.img", "o10.map");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("salvage: no space left on the device of 'full/o.img'; the map 'o10.map' is saved; free some space and rerun\n");
    expectMapTruthful(at("o10.map"), join(full, "o.img"));
    expect(parseMapfile(readFileSync(at("o10.map"), "latin1")).blocks.some((b) => b.status === "+")).toBe(true);
  });

  test("the map's disk full from the start: refused before reading, no image", () => {
    if (skipReason(reason)) return;
    clear();
    writeFileSync(join(full, "filler"), new Uint8Array(512 * 1024).fill(1), { flag: "w" });
    const r = salvage("rescue", "-q", "src.img", "o10b.img", "full/o.map");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("salvage: cannot write the mapfile 'full/o.map': no space left on the device (ENOSPC); nothing was read\n");
    expect(existsSync(at("o10b.img"))).toBe(false);
    void empty;
  });
});

describe("item 16: a destination name with a newline cannot break the mapfile", () => {
  for (const [name, dst] of [["newline", "new\nline.img"], ["U+010A (a newline once written as latin1)", "\u010Aname.img"], ["escape and tab", "a\u001b[2J\tb.img"]] as const) {
    test(name, () => {
      const r = salvage("rescue", "-q", "src.img", dst, `m16-${name.length}.map`);
      expect(r.code).toBe(0);
      const text = readFileSync(at(`m16-${name.length}.map`), "latin1");
      const map = parseMapfile(text);
      expect(map.blocks).toEqual([{ pos: 0, size: 1 << 20, status: "+" }]);
      // Every header line is still a comment.
      for (const line of text.split("\n").slice(0, 5)) expect(line).toStartWith("#");
      const ddrescuelog = peer("ddrescuelog");
      if (ddrescuelog) {
        const p = Bun.spawnSync([ddrescuelog, "-t", at(`m16-${name.length}.map`)]);
        expect(p.exitCode).toBe(0);
      }
    });
  }
});

describe("item 17: option values are bounded, with the accepted range in one line", () => {
  const cases: [string[], string][] = [
    [["-c", "1TiB"], "salvage: --cluster-size: '1TiB' is out of range: accepted 1 to 131072 sectors of 512 bytes (64.0 MiB)"],
    [["--cluster", "1TiB"], "salvage: --cluster: '1TiB' is out of range: accepted one sector to 64.0 MiB"],
    [["--cluster=65MiB"], "salvage: --cluster: '65MiB' is out of range: accepted one sector to 64.0 MiB"],
    [["-K", "1PiB"], "salvage: --skip-size: 1.00 PiB is larger than the source (1.00 MiB): accepted 0 (no skipping) to 1048576 bytes"],
    [["-K", "128KiB,64KiB"], "salvage: --skip-size: MAX is smaller than INITIAL"],
    [["--retries", "99999999999"], "salvage: --retries: expected a whole number from -1 to 2147483647: '99999999999'"],
    [["--retries", "1e3"], "salvage: --retries: expected a whole number from -1 to 2147483647: '1e3'; accepted: a whole number (decimal, 0x hex or 0 octal), optionally followed by k M G T P E (powers of 1000) or Ki Mi Gi Ti Pi Ei (powers of 1024); e.g. 128, 64Ki, 0x80"],
    [["--max-errors", "-1"], "salvage: --max-errors: expected a whole number from 0 to 2147483647: '-1'"],
    [["--timeout", "9999999d"], "salvage: --timeout: 9999999d is out of range: accepted 0 to 365d"],
    [["--mapfile-interval", "1" + "0".repeat(400)], "salvage: --mapfile-interval: 1" + "0".repeat(400) + " is out of range: accepted 0 to 365d"],
  ];
  for (const [opts, message] of cases) {
    test(opts.join(" ").slice(0, 40), () => {
      const r = salvage("rescue", "-q", ...opts, "src.img", "o17.img", "o17.map");
      expect(r.stderr).toBe(message + "\n");
      expect(r.code).toBe(2);
      expect(existsSync(at("o17.img"))).toBe(false);
    });
  }

  test("map show --columns is bounded too (a huge grid was an endless SVG)", () => {
    writeFileSync(at("s17.map"), "0 + 1\n0 0x100000 +\n");
    const p = Bun.spawnSync([salvageBinary(), "map", "show", "s17.map", "--svg", "s17.svg", "--columns", "100000000"], { cwd: dir, timeout: 20_000 });
    expect(p.stderr.toString()).toBe("salvage: --columns: expected a whole number from 1 to 1024: '100000000'\n");
    expect(p.exitCode).toBe(2);
  });

  test("map convert refuses a list too long to write (a 1 TiB area in 512-byte blocks)", () => {
    writeFileSync(at("huge.map"), "0 ? 1\n0 0x10000000000 ?\n");
    const r = salvage("map", "convert", "huge.map", "huge.list");
    expect(r.stderr).toMatch(/^salvage: map convert: .*more than \d+ blocks.*\n$/);
    expect(r.code).toBe(2);
  });

  test("simulate make --size beyond the free space (1PiB for 1MiB) is refused before writing", () => {
    const r = salvage("simulate", "make", "huge.img", "--size", "1PiB");
    expect(r.stderr).toStartWith("salvage: --size: 1.00 PiB is more than the free space (");
    expect(r.code).toBe(2);
    expect(existsSync(at("huge.img"))).toBe(false);
  });

  test("cdraw LBA past the last MSF address is a usage error, not an internal one", () => {
    const r = salvage("cdraw", "src.img", "99999999999");
    expect(r.stderr).toBe("salvage: not a sector number: '99999999999' (accepted: 0 to 1151849, the last LBA an MSF address can name)\n");
    expect(r.code).toBe(2);
  });

  test("map convert --block-size is bounded", () => {
    writeFileSync(at("c17.map"), "0 + 1\n0 0x100000 -\n");
    const r = salvage("map", "convert", "c17.map", "c17.list", "-b", "4GiB");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--block-size: '4GiB' is out of range: accepted 1 to 1073741824 bytes");
  });
});

describe("outputs replaced by rename are never device nodes (as root /dev/null became a file)", () => {
  test("simulate make onto a character device node", () => {
    if (skipReason(isRoot ? undefined : "mknod needs root")) return;
    expect(Bun.spawnSync(["mknod", at("null"), "c", "1", "3"]).exitCode).toBe(0);
    const r = salvage("simulate", "make", "null", "--size", "64KiB");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the image 'null' exists and is not a regular file (char): refusing to replace it");
    expect(statSync(at("null")).isCharacterDevice()).toBe(true);
  });

  test("simulate make IMAGE --damage IMAGE", () => {
    const r = salvage("simulate", "make", "same.img", "--size", "64KiB", "--damage", "same.img");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the image and the damage file are the same file");
  });

  test("map convert onto a character device node", () => {
    if (skipReason(isRoot ? undefined : "mknod needs root")) return;
    if (!existsSync(at("null"))) expect(Bun.spawnSync(["mknod", at("null"), "c", "1", "3"]).exitCode).toBe(0);
    const r = salvage("map", "convert", "disk.map", "null", "--force");
    expect(r.code).toBe(2);
    expect(statSync(at("null")).isCharacterDevice()).toBe(true);
  });
});

describe("simulate never writes its statistics or trace over its inputs", () => {
  test("--stats IMAGE", () => {
    const image = readFileSync(at("src.img"));
    writeFileSync(at("sim.damage"), "salvage-damage 1\nsector-size 512\n");
    const r = salvage("simulate", "--image", "src.img", "--damage", "sim.damage", "--stats", "src.img", "--", "true");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the statistics file 'src.img' and the image 'src.img' are the same file");
    expect(Buffer.compare(readFileSync(at("src.img")), image)).toBe(0);
  });

  test("--trace DAMAGE", () => {
    const r = salvage("simulate", "--image", "src.img", "--damage", "sim.damage", "--trace", "sim.damage", "--", "true");
    expect(r.code).toBe(2);
    expect(readFileSync(at("sim.damage"), "utf8")).toBe("salvage-damage 1\nsector-size 512\n");
  });
});

describe("textpieces never writes a piece over its own input", () => {
  for (const [name, message] of [["piece0001", "are the same file"], ["piece0003p", "is named like a piece file of prefix 'piece'"]] as const) {
    test(`--input ${name}`, () => {
      writeFileSync(at(name), new Uint8Array(4096).fill(0x41));
      const r = salvage("textpieces", "piece", "--input", name, "--fsize", "1024");
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(readFileSync(at(name)).every((b) => b === 0x41)).toBe(true);
    });
  }
});
