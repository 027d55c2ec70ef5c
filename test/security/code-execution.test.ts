// Code execution as root (issue 11, items 1 and 3, and the same class found elsewhere): another
// local user plants a library, a bunfig.toml or a .env where root's salvage would pick it up.
// Each test plants as a real second user, runs root's salvage and checks that nothing planted
// was loaded (the planted library's constructor would write a marker file).
import { beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { skipBecause } from "../helpers/needs.ts";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, runBinary, salvageBinary } from "../helpers/binary.ts";
import { buildEvilLibrary, makeScene, twoUserSkipReason, type Scene } from "./two-users.ts";

const skip = twoUserSkipReason();

describe.skipIf(skipBecause(skip))("code execution as root", () => {
  const s: Scene = skip ? (undefined as never) : makeScene();
  const marker = skip ? "" : join(s.base, "MARKER");
  const image = skip ? "" : join(s.base, "disk.img");
  const shimBytes = () => readFileSync(join(repoRoot, "build/host/libsalvage.so"));
  const simBytes = () => readFileSync(join(repoRoot, "build/host/libsalvage-sim.so"));
  const salvage = (args: string[], env: Record<string, string> = {}, cwd?: string) =>
    runBinary([salvageBinary(), ...args], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", ...env }, cwd });
  /** Files in dir that root created (everything planted belongs to the other user). */
  const rootsFiles = (dir: string) => readdirSync(dir).filter((n) => statSync(join(dir, n)).uid === 0);
  const simulateCat = (env: Record<string, string>, cwd?: string) =>
    salvage(["simulate", "--image", image, "--damage", `${image}.damage`, "--", "cat", image], env, cwd);

  beforeAll(() => {
    const r = salvage(["simulate", "make", image, "--size", "256KiB", "--pattern", "scattered", "--seed", "3"]);
    expect(r.code).toBe(0);
  });

  beforeEach(() => rmSync(marker, { force: true }));

  test("item 1: a library planted under the shim's fallback name in a full TMPDIR is not loaded (salvage info)", () => {
    const bytes = shimBytes();
    const hash = Bun.hash(bytes).toString(16);
    const evil = buildEvilLibrary(s.base, marker, bytes.length);
    // A full TMPDIR (a small tmpfs in a private mount namespace) makes Bun's own extraction fail;
    // the old code then reused any file of the right size under its fallback name there.
    const tmp = join(s.base, "full");
    const as = `setpriv --reuid=${s.user.uid} --regid=${s.user.gid} --clear-groups --`;
    const script = [
      `mkdir -p ${tmp}`,
      `mount -t tmpfs -o size=256k,mode=1777 tmpfs ${tmp}`,
      `${as} cp ${evil} ${tmp}/.salvage-0-${hash}-libsalvage.so`,
      `{ ${as} dd if=/dev/zero of=${tmp}/fill bs=4k 2>/dev/null; true; }`,
      `env TMPDIR=${tmp} ${salvageBinary()} info /dev/null`,
      `echo "root's files: $(find ${tmp} -user 0 ! -path ${tmp} | wc -l)"`,
    ].join(" && ");
    const p = Bun.spawnSync(["unshare", "-m", "sh", "-c", script], { stdin: "ignore", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1" } });
    const stderr = p.stderr.toString();
    if (stderr.includes("mount:") || stderr.includes("unshare:")) {
      console.warn(`skipped: cannot make a mount namespace here: ${stderr.trim()}`);
      return;
    }
    expect(existsSync(marker)).toBe(false);
    expect(stderr).toBe("");
    expect(p.stdout.toString()).toContain("character device");
    expect(p.stdout.toString()).toContain("root's files: 0");
  });

  test("item 1: a library planted under the simulator's name in TMPDIR is not preloaded into the command", () => {
    const bytes = simBytes();
    const hash = Bun.hash(bytes).toString(16);
    const evil = buildEvilLibrary(s.base, marker, bytes.length);
    s.asUser(["cp", evil, join(s.shared, `.salvage-0-${hash}-libsalvage-sim.so`)]);
    const r = simulateCat({ TMPDIR: s.shared });
    expect(existsSync(marker)).toBe(false);
    // ... and the simulation itself worked: cat met the simulated bad sectors.
    expect(r.stderr).toContain("Input/output error");
    expect(rootsFiles(s.shared)).toEqual([]);
  });

  test("TMPDIR owned by another user: the private directory goes elsewhere, the run still works", () => {
    const r = simulateCat({ TMPDIR: s.home });
    expect(r.stderr).toContain("Input/output error");
    expect(rootsFiles(s.home)).toEqual([]);
  });

  test("TMPDIR on a noexec filesystem: the simulator library comes from a memfd (descriptor 3)", () => {
    const mnt = join(s.base, "noexec");
    const script = `mkdir -p ${mnt} && mount -t tmpfs -o noexec,size=4m tmpfs ${mnt} && chmod 1777 ${mnt} && exec env TMPDIR=${mnt} ${salvageBinary()} simulate --image ${image} --damage ${image}.damage -- cat ${image}`;
    const p = Bun.spawnSync(["unshare", "-m", "sh", "-c", script], { stdin: "ignore" });
    const stderr = p.stderr.toString();
    if (stderr.includes("mount:") || stderr.includes("unshare:")) {
      console.warn(`skipped: cannot make a mount namespace here: ${stderr.trim()}`);
      return;
    }
    expect(stderr).toContain("Input/output error");
    expect(stderr).not.toContain("cannot be preloaded");
  });

  test("item 3: SALVAGE_SHIM and SALVAGE_SIM_LIB no longer load anything", () => {
    const evil = buildEvilLibrary(s.base, marker);
    expect(salvage(["info", "/dev/null"], { SALVAGE_SHIM: evil }).code).toBe(0);
    expect(existsSync(marker)).toBe(false);
    const r = simulateCat({ SALVAGE_SIM_LIB: evil });
    expect(existsSync(marker)).toBe(false);
    expect(r.stderr).toContain("Input/output error");
  });

  test("a bunfig.toml or .env in the current directory is not read (it could preload a script or set LD_PRELOAD)", () => {
    const evil = buildEvilLibrary(s.base, marker);
    const script = join(s.base, "evil.ts");
    writeFileSync(script, `require("node:fs").appendFileSync(${JSON.stringify(marker)}, "bunfig\\n");\n`);
    s.asUser(["sh", "-c", `printf 'preload = ["${script}"]\\n' > bunfig.toml && printf 'LD_PRELOAD=${evil}\\nSALVAGE_DEBUG=1\\n' > .env`]);
    expect(salvage(["--version"], {}, s.home).code).toBe(0);
    const r = simulateCat({}, s.home);
    expect(r.stderr).toContain("Input/output error");
    expect(existsSync(marker)).toBe(false);
  });
});
