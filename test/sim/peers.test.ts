// Proof that real tools see the damage exactly where the map puts it: Debian safecopy,
// GNU ddrescue (with and without O_DIRECT), dd and salvage read the same damaged image
// under the simulator; each gets its errors on exactly the bad sectors, and the
// statistics agree with what each tool reports.
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDamageFile } from "../../src/sim/damage-file.ts";
import { parseDdrescueMap } from "../../src/sim/ddrescue-map.ts";
import { runSimulated } from "../../src/sim/run.ts";
import { compiledSalvage, noBinary, scratchDir, tool, writeImage } from "./helpers.ts";
import { missing, skipBecause } from "../helpers/needs.ts";

const SECTORS = 4096;
const damageText = `sector-size 512
bad 100-103
bad 1000
bad 2500-2531
slow 3000-3009 5ms
`;
const badSectors = [100, 101, 102, 103, 1000, ...Array.from({ length: 32 }, (_, i) => 2500 + i)];

const dir = scratchDir("peers");
const image = join(dir, "disk.img");
const damage = join(dir, "disk.damage");
const source = writeImage(image, SECTORS * 512, 11);
writeFileSync(damage, damageText);

/** Sectors of a rescued copy that hold no source data (zero-filled: the source has no zeros). */
function missingSectors(path: string): number[] {
  const out = readFileSync(path);
  const missing: number[] = [];
  for (let s = 0; s < SECTORS; s++) {
    const a = out.subarray(s * 512, s * 512 + 512);
    if (a.length < 512 || !a.equals(source.subarray(s * 512, s * 512 + 512))) {
      expect(a.every((b) => b === 0)).toBe(true); // never wrong data, only missing
      missing.push(s);
    }
  }
  return missing;
}

const sim = (argv: string[], extra: Partial<Parameters<typeof runSimulated>[0]> = {}) =>
  runSimulated({ image, damage, argv, cwd: dir, stdio: "pipe", stdin: "ignore", ...extra });

describe.skipIf(skipBecause(missing("dd")))("dd", () => {
  for (const direct of [false, true]) {
    test(`bs=512 conv=noerror,sync${direct ? " iflag=direct" : ""}: one error per bad sector`, async () => {
      const out = join(dir, `dd${direct}.out`);
      const r = await sim(["dd", `if=${image}`, `of=${out}`, "bs=512", "conv=noerror,sync", ...(direct ? ["iflag=direct"] : [])]);
      expect(missingSectors(out)).toEqual(badSectors);
      const errors = r.stderr.split("\n").filter((l) => l.includes("error reading")).length;
      expect(errors).toBe(badSectors.length);
      expect(r.stats.failedReads).toBe(badSectors.length);
      expect(r.stats.readsTouchingDamage).toBe(badSectors.length + 10); // + the slow sectors
      expect(r.stats.attemptedSectors.bad).toBe(badSectors.length);
      expect(r.stats.attempts.max).toBe(1);
      expect(r.stats.einvalReads).toBe(0);
    });
  }

  test("a read running into a bad sector returns the good part before it", async () => {
    const out = join(dir, "dd-short.out");
    // block 12 of 4 KiB holds sectors 96..103: 96..99 are good, 100 is bad
    const r = await sim(["dd", `if=${image}`, `of=${out}`, "bs=4096", "skip=12", "count=1"]);
    expect(r.stderr).toContain("0+1 records in");
    expect(readFileSync(out).equals(source.subarray(96 * 512, 100 * 512))).toBe(true);
    expect(r.stats.shortReads).toBe(1);
  });

  test("O_DIRECT with a misaligned length fails with EINVAL", async () => {
    const r = await sim(["dd", `if=${image}`, "of=/dev/null", "bs=1000", "count=1", "iflag=direct"]);
    expect(r.stderr).toContain("Invalid argument");
    expect(r.stats.einvalReads).toBe(1);
  });
});

// The same check with salvage rescue (ddrescue's mapfile format) always, and GNU ddrescue
// itself when installed (it is the program under the simulator there).
const rescuers: Array<[string, string[] | null, string | undefined]> = [
  ["salvage rescue", compiledSalvage() ? [compiledSalvage()!, "rescue"] : null, noBinary],
  ["GNU ddrescue", tool("ddrescue") ? [tool("ddrescue")!] : null, missing("ddrescue") && `${missing("ddrescue")}: it is the program under the simulator here`],
];
for (const [name, argv, why] of rescuers) describe.skipIf(skipBecause(why))(name, () => {
  for (const direct of [false, true]) {
    test(`${name}${direct ? " -d" : ""}: the mapfile's bad areas are exactly the damage`, async () => {
      const tag = `${name.split(" ")[0]}${direct}`;
      const out = join(dir, `${tag}.out`);
      const map = join(dir, `${tag}.map`);
      const r = await sim([...argv!, "-q", ...(direct ? ["-d"] : []), image, out, map]);
      // ddrescue exits 0 when it ran to the end; salvage rescue 1 when data stays unrecovered.
      expect(r.exitCode).toBe(name === "GNU ddrescue" ? 0 : 1);
      const found = parseDdrescueMap(readFileSync(map, "utf8"), map);
      const expected = parseDamageFile(damageText, "x").extents.filter((e) => e.kind === "bad");
      expect(found.extents.map((e) => [e.first, e.count])).toEqual(expected.map((e) => [e.first, e.count]));
      expect(missingSectors(out)).toEqual(badSectors);
      expect(r.stats.attemptedSectors.bad).toBe(badSectors.length);
      expect(r.stats.einvalReads).toBe(0);
      expect(r.stats.bytes).toBeGreaterThanOrEqual((SECTORS - badSectors.length) * 512);
    });
  }
});

describe.skipIf(skipBecause(missing("ddrescue") && `${missing("ddrescue")}: it is the program under the simulator here`))("GNU ddrescue on a 4096-byte-sector disk", () => {
  const damage4k = join(dir, "4k.damage");
  writeFileSync(damage4k, "sector-size 4096\nbad 10-11\nbad 100\n");

  test("-d with the default 512-byte sector size hits O_DIRECT's alignment rule", async () => {
    const r = await sim(["ddrescue", "-d", image, "4k-a.out", "4k-a.map"], { damage: damage4k });
    expect(r.stderr).toContain("Unaligned read error");
    expect(r.stats.einvalReads).toBeGreaterThan(0);
  });

  test("-d -b 4096 finds exactly the bad sectors", async () => {
    const r = await sim(["ddrescue", "-q", "-d", "-b", "4096", image, "4k-b.out", "4k-b.map"], { damage: damage4k });
    expect(r.exitCode).toBe(0);
    const found = parseDdrescueMap(readFileSync(join(dir, "4k-b.map"), "utf8"), "map", 4096);
    expect(found.extents.map((e) => [e.first, e.count])).toEqual([[10, 2], [100, 1]]);
    expect(r.stats.einvalReads).toBe(0);
  });
});

/** safecopy's summary line: "Unrecoverable bad blocks (bytes): N (B)". */
function unrecoverable(stdout: string): number {
  return Number(/Unrecoverable bad blocks \(bytes\): (\d+)/.exec(stdout)?.[1]);
}

describe.skipIf(skipBecause(missing("safecopy") && `${missing("safecopy")}: it is the program under the simulator here`))("Debian safecopy", () => {
  test("-b 512 -f 1* -R 1 -Z 0: bad-block list is exactly the bad sectors", async () => {
    const r = await sim(["safecopy", "-b", "512", "-f", "1*", "-R", "1", "-Z", "0", "-o", "sc.badblocks", image, "sc.out"]);
    expect(r.exitCode).toBe(1);
    expect(readFileSync(join(dir, "sc.badblocks"), "utf8")).toBe(badSectors.join("\n") + "\n");
    expect(unrecoverable(r.stdout)).toBe(badSectors.length);
    expect(missingSectors(join(dir, "sc.out"))).toEqual(badSectors);
    expect(r.stats.failedReads).toBe(badSectors.length);
    expect(r.stats.attemptedSectors.bad).toBe(badSectors.length);
  });
});

describe("salvage", () => {
  const salvage = compiledSalvage();
  test.skipIf(skipBecause(noBinary))("info sees a block device of the simulated size and sector size", async () => {
    const blockDamage = join(dir, "block.damage");
    writeFileSync(blockDamage, damageText.replace("sector-size 512", "sector-size 4096\ndevice block\nsize 1MiB").replace(/^(bad|slow).*$/gm, ""));
    const r = await sim([salvage!, "info", "--json", "/dev/sim0"], { damage: blockDamage, as: "/dev/sim0" });
    expect(r.exitCode).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({ kind: "block", size: 1024 * 1024, logicalSectorSize: 4096 });
  });

  test.skipIf(skipBecause(noBinary))("salvage copy reads through the shim: the bad-block list is exactly the bad sectors", async () => {
    const r = await sim([salvage!, "copy", "-b", "512", "-f", "1*", "-R", "1", "-Z", "0", "-o", "sv.badblocks", image, "sv.out"]);
    expect(r.exitCode).toBe(1);
    expect(readFileSync(join(dir, "sv.badblocks"), "utf8")).toBe(badSectors.join("\n") + "\n");
    expect(unrecoverable(r.stdout)).toBe(badSectors.length);
    expect(missingSectors(join(dir, "sv.out"))).toEqual(badSectors);
    expect(r.stats.attemptedSectors.bad).toBe(badSectors.length);
    expect(r.stats.opens).toBeGreaterThan(0);
  });
});
