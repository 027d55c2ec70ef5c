// Cross targets: the arm64 binary (with its own arm64 shim) must run under qemu-user;
// the musl binary must build with a musl-linked shim.
import { describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, runBinary, scratchDir } from "../helpers/binary.ts";
import { missing, skipBecause } from "../helpers/needs.ts";

function build(target: string): void {
  const p = Bun.spawnSync([process.execPath, "scripts/build.ts", "--target", target], { cwd: repoRoot });
  if (p.exitCode !== 0) throw new Error(`build --target ${target} failed: ${p.stderr.toString()}`);
}

const sysroot = "/usr/aarch64-linux-gnu";
const noArm64 = missing("aarch64-linux-gnu-gcc", "qemu-aarch64") ?? (existsSync(join(sysroot, "include/stdio.h")) ? undefined : `${sysroot}/include missing (Debian libc6-dev-arm64-cross)`);

describe("cross-compiled binaries", () => {
  test.skipIf(skipBecause(noArm64 && `cross compiler: ${noArm64}`))("linux-arm64 runs --version and info under qemu-aarch64", () => {
    build("linux-arm64");
    const bin = join(repoRoot, "dist/salvage-linux-arm64");
    const file = Bun.spawnSync(["file", "-b", bin]).stdout.toString();
    expect(file).toContain("ARM aarch64");

    const version = runBinary(["qemu-aarch64", "-L", sysroot, bin, "--version"]);
    expect(version.stderr).toBe("");
    expect(version.stdout).toMatch(/^salvage \d+\.\d+\.\d+\n$/);

    const dir = scratchDir("arm64");
    try {
      const sample = join(dir.path, "s.bin");
      writeFileSync(sample, new Uint8Array(7777));
      // info loads the arm64 shim embedded in the arm64 binary.
      const info = runBinary(["qemu-aarch64", "-L", sysroot, bin, "info", "--json", sample]);
      expect(info.code).toBe(0);
      expect(JSON.parse(info.stdout)).toMatchObject({ kind: "regular", size: 7777 });
    } finally {
      dir.cleanup();
    }
  }, 300_000);

  test.skipIf(skipBecause(missing("musl-gcc") && `cross compiler: ${missing("musl-gcc")}`))("linux-x64-musl builds against musl with a musl-linked shim", () => {
    build("linux-x64-musl");
    const bin = join(repoRoot, "dist/salvage-linux-x64-musl");
    expect(Bun.spawnSync(["file", "-b", bin]).stdout.toString()).toContain("ld-musl-x86_64");
    const needed = Bun.spawnSync(["readelf", "-d", join(repoRoot, "build/linux-x64-musl/libsalvage.so")]).stdout.toString();
    expect(needed).toContain("[libc.so]"); // musl's libc soname; glibc's is libc.so.6
    expect(needed).not.toContain("libc.so.6");
  }, 300_000);
});
