// Predictable temporary names (issue 11, item 2): another user who can write the directory of
// root's output plants a symlink (root would overwrite what it points to) or a file of their
// own (root would write into it, or rename it into place) under the temporary name. Planted
// as a real second user in their own directory; every temporary name salvage used to use is
// planted (for pid-based names, for the next few thousand pids).
import { beforeEach, describe, expect, test } from "bun:test";
import { missing, skipBecause, skippedInside } from "../helpers/needs.ts";
import { chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary, salvageBinary } from "../helpers/binary.ts";
import { lastPid, makeScene, twoUserSkipReason, type Scene } from "./two-users.ts";

const skip = twoUserSkipReason();

describe.skipIf(skipBecause(skip))("temporary files in a directory another user can write", () => {
  const s: Scene = skip ? (undefined as never) : makeScene();
  const salvage = (args: string[]) =>
    runBinary([salvageBinary(), ...args], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1" }, cwd: s.base });
  const victimIntact = () => expect(readFileSync(s.victim, "utf8")).toBe(s.victimText);
  /** The other user plants a symlink to the victim under each name (perl: one process for thousands). */
  const plantLinks = (names: string[]) => {
    const list = join(s.base, "names.txt");
    writeFileSync(list, names.join("\n") + "\n");
    s.asUser(["perl", "-ne", `chomp; symlink("${s.victim}", $_) or die "$_: $!"`, list]);
  };
  const pidNames = (pattern: (pid: number) => string) => {
    const from = lastPid() + 1;
    return Array.from({ length: 3000 }, (_, i) => pattern(from + i));
  };
  const ownedByRoot = (path: string) => {
    const st = lstatSync(path);
    expect(st.isFile()).toBe(true);
    expect(st.uid).toBe(0);
    expect(st.mode & 0o777).toBe(0o600);
  };

  beforeEach(() => {
    // a fresh directory of the other user's for every test
    rmSync(s.home, { recursive: true, force: true });
    mkdirSync(s.home);
    chownSync(s.home, s.user.uid, s.user.gid);
    writeFileSync(s.victim, s.victimText);
  });

  test("map convert: a symlink at OUT.tmp is not followed", () => {
    const input = join(s.base, "list.badblocks");
    writeFileSync(input, "3\n7\n");
    const out = join(s.home, "out.map");
    plantLinks([`${out}.tmp`]);
    const r = salvage(["map", "convert", input, out, "-b", "512"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    victimIntact();
    ownedByRoot(out);
    expect(readFileSync(out, "utf8")).toContain("0x00000600  0x00000200  -");
  });

  test("map convert: a file of the other user's at OUT.tmp is neither written nor renamed into place", () => {
    const input = join(s.base, "list.badblocks");
    writeFileSync(input, "3\n");
    const out = join(s.home, "out.map");
    s.asUser(["sh", "-c", `umask 0; : > ${out}.tmp`]);
    const r = salvage(["map", "convert", input, out]);
    expect(r.code).toBe(0);
    ownedByRoot(out);
    expect(readFileSync(`${out}.tmp`, "utf8")).toBe(""); // theirs, untouched
  });

  test("atomic writer (simulate make, rescue maps, --stats): symlinks at NAME.<pid>.tmp are not followed", () => {
    const image = join(s.home, "disk.img");
    plantLinks(pidNames((pid) => `${image}.damage.${pid}.tmp`));
    const r = salvage(["simulate", "make", image, "--size", "64KiB", "--pattern", "scattered", "--seed", "1"]);
    expect(r.code).toBe(0);
    victimIntact();
    ownedByRoot(`${image}.damage`);
  }, 30_000);

  test("textpieces/getfree/undelete writer: symlinks at NAME.partial-<pid> are not followed", () => {
    const input = join(s.base, "text.bin");
    writeFileSync(input, "All work and no play makes Jack a dull boy.\n".repeat(12).padEnd(512, "\n"));
    const prefix = join(s.home, "piece");
    plantLinks(pidNames((pid) => `${prefix}0001.partial-${pid}`));
    const r = salvage(["textpieces", prefix, "--input", input, "--fsize", "512"]);
    expect(r.code).toBe(0);
    victimIntact();
    expect(existsSync(`${prefix}0001p`) || existsSync(`${prefix}0001`)).toBe(true);
  }, 30_000);

  test("map show --png: a symlink at PNG.tmp is not followed (rsvg-convert writes to our own file)", () => {
    if (skippedInside(missing("rsvg-convert"))) return;
    const map = join(s.base, "m.map");
    writeFileSync(map, "0x00000000  ?  1\n0x00000000  0x00001000  +\n0x00001000  0x00001000  -\n");
    const png = join(s.home, "m.png");
    plantLinks([`${png}.tmp`]);
    const r = salvage(["map", "show", map, "--png", png]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    victimIntact();
    ownedByRoot(png);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe("PNG");
  });

  test("simulate --trace: a planted symlink or another user's file is refused, never appended to", () => {
    const image = join(s.base, "disk.img");
    expect(salvage(["simulate", "make", image, "--size", "64KiB", "--pattern", "scattered", "--seed", "1"]).code).toBe(0);
    const trace = join(s.home, "trace.log");
    plantLinks([trace]);
    const run = () => salvage(["simulate", "--image", image, "--damage", `${image}.damage`, "--trace", trace, "--", "cat", image]);
    let r = run();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("symbolic link");
    victimIntact();
    s.asUser(["sh", "-c", `rm ${trace} && umask 0 && : > ${trace}`]);
    r = run();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("another user");
    expect(statSync(trace).size).toBe(0);
  });
  test("an output name that is another user's symlink is refused (rescue, copy and its -o/-T files)", () => {
    const image = join(s.base, "src.img");
    writeFileSync(image, new Uint8Array(8192).fill(7));
    const links = ["rescued.img", "copied.img", "bb.txt", "timing.txt"].map((n) => join(s.home, n));
    plantLinks(links);
    const rescue = salvage(["rescue", image, links[0]!, join(s.base, "r.map")]);
    expect(rescue.code).toBe(2);
    expect(rescue.stderr).toContain("symbolic link owned by another user");
    const copy = salvage(["copy", image, links[1]!]);
    expect(copy.code).not.toBe(0);
    const lists = salvage(["copy", image, join(s.base, "c.img"), "-o", links[2]!, "-T", links[3]!]);
    expect(lists.code).not.toBe(0);
    victimIntact();
    // root's own symlinks (like /dev/disk/by-id/...) are still followed
    const mine = join(s.base, "mine.img");
    symlinkSync(join(s.base, "target.img"), mine);
    const own = salvage(["rescue", image, mine, join(s.base, "mine.map")]);
    expect(own.code).toBe(0);
    expect(statSync(join(s.base, "target.img")).size).toBe(8192);
  });
  test("a directory on the output path that is another user's symlink is refused (pieces into /etc/cron.d)", () => {
    const rootsDir = join(s.base, "cron.d"); // stands in for a directory where root's files are run
    mkdirSync(rootsDir, { recursive: true });
    s.asUser(["ln", "-s", rootsDir, join(s.home, "out")]);
    const input = join(s.base, "text.bin");
    writeFileSync(input, "* * * * * root echo planted\n".repeat(10).padEnd(512, "\n"));
    const r = salvage(["textpieces", join(s.home, "out", "piece"), "--input", input, "--fsize", "512"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("symbolic link owned by another user");
    expect(readdirSync(rootsDir)).toEqual([]);
  });
});
