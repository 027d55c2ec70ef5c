// The shared helpers behind the fixes, tested directly (no root needed): exclusive temporary
// files, private directories and the parents they may live in, the output mode.
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadEmbedded } from "../../src/native/embedded-library.ts";
import { writeTextAtomically } from "../../src/util/atomic-file.ts";
import { commitExclusive, createExclusive, discardExclusive } from "../../src/util/exclusive-file.ts";
import { outputDirMode, parseMode } from "../../src/util/output-mode.ts";
import { makePrivateDir, unsafeParentReason } from "../../src/util/private-dir.ts";
import { systemTool } from "../../src/util/system-tool.ts";
import { scratchDir } from "../helpers/binary.ts";
import { skipBecause } from "../helpers/needs.ts";

const dir = scratchDir("sec-helpers");
afterAll(() => dir.cleanup());
const at = (name: string) => join(dir.path, name);

describe("createExclusive", () => {
  test("a random hidden name beside the target, mode 0600, never the same twice", () => {
    const a = createExclusive(at("out.bin"));
    const b = createExclusive(at("out.bin"));
    expect(a.path).not.toBe(b.path);
    expect(a.path).toMatch(/\/\.out\.bin\.[0-9a-f]{16}\.tmp$/);
    expect(statSync(a.path).mode & 0o777).toBe(0o600 & ~process.umask());
    discardExclusive(a);
    discardExclusive(b);
    expect(readdirSync(dir.path).filter((n) => n.includes("out.bin"))).toEqual([]);
  });

  test("commit replaces a symlink at the target, not the file it points to", () => {
    writeFileSync(at("precious"), "keep\n");
    symlinkSync(at("precious"), at("link.map"));
    writeTextAtomically(at("link.map"), "new\n");
    expect(readFileSync(at("precious"), "utf8")).toBe("keep\n");
    expect(lstatSync(at("link.map")).isSymbolicLink()).toBe(false);
    expect(readFileSync(at("link.map"), "utf8")).toBe("new\n");
  });

  test("a failed commit leaves no temporary file", () => {
    const t = createExclusive(at("nodir-target"));
    mkdirSync(at("a-directory"));
    writeFileSync(join(at("a-directory"), "x"), "");
    expect(() => commitExclusive(t, at("a-directory"))).toThrow();
    expect(readdirSync(dir.path).filter((n) => n.startsWith(".nodir-target"))).toEqual([]);
  });
});

describe("private directories", () => {
  // Under /tmp, not the checkout: every ancestor of a parent is checked, and a checkout may
  // live in another user's home.
  const base = mkdtempSync("/tmp/salvage-privdir-");
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const at = (name: string) => join(base, name);

  test("a parent writable by others needs the sticky bit; one owned by another user is refused", () => {
    const open = at("open");
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(unsafeParentReason(open)).toBe("writable by others without the sticky bit");
    chmodSync(open, 0o1777);
    expect(unsafeParentReason(open)).toBeNull();
    expect(unsafeParentReason(open, 12345)).toBe(process.geteuid?.() === 0 ? null : "owned by another user");
    expect(unsafeParentReason(at("missing"))).toBe("ENOENT");
  });

  test("every ancestor counts; a symbolic link is judged by where it leads", () => {
    const open = at("open3");
    mkdirSync(join(open, "inner"), { recursive: true, mode: 0o755 });
    chmodSync(open, 0o777);
    expect(unsafeParentReason(join(open, "inner"))).toBe(`${open} is writable by others without the sticky bit`);
    symlinkSync(join(open, "inner"), at("link"));
    expect(unsafeParentReason(at("link"))).toBe(`${open} is writable by others without the sticky bit`);
  });

  test("makePrivateDir skips unfit parents and makes a 0700 directory in the first fit one", () => {
    const open = at("open2");
    mkdirSync(open);
    chmodSync(open, 0o777);
    const fit = at("fit");
    mkdirSync(fit, { mode: 0o755 });
    const made = makePrivateDir("p-", [at("missing"), open, fit]);
    expect(made.startsWith(join(fit, "p-"))).toBe(true);
    expect(statSync(made).mode & 0o777).toBe(0o700);
    expect(() => makePrivateDir("p-", [open])).toThrow(/writable by others without the sticky bit/);
  });
});

describe("loadEmbedded", () => {
  const lib = join(import.meta.dir, "../../build/host/libsalvage.so");

  test("first choice: a sealed memfd, loaded as /proc/self/fd/N", () => {
    const seen = loadEmbedded(lib, "libsalvage.so", (p) => p);
    expect(seen).toMatch(/^\/proc\/self\/fd\/\d+$/);
  });

  test("when the memfd cannot be loaded: a fresh private directory, removed afterwards", () => {
    const seen: { path: string; dirMode: number; fileMode: number; uid: number; bytes: number }[] = [];
    const path = loadEmbedded(lib, "libsalvage.so", (p) => {
      if (p.startsWith("/proc/")) throw new Error("pretend the memfd is not executable");
      const st = lstatSync(p);
      seen.push({ path: p, dirMode: statSync(dirname(p)).mode & 0o777, fileMode: st.mode & 0o777, uid: st.uid, bytes: st.size });
      return p;
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.dirMode).toBe(0o700);
    expect(seen[0]!.fileMode).toBe(0o500);
    expect(seen[0]!.uid).toBe(process.geteuid!());
    expect(seen[0]!.bytes).toBe(statSync(lib).size);
    expect(existsSync(dirname(path))).toBe(false); // cleaned up once loaded
  });
});

describe("output mode", () => {
  test("octal modes only; directories get search permission where read is given", () => {
    expect(parseMode("0640")).toBe(0o640);
    expect(parseMode("644")).toBe(0o644);
    expect(parseMode("1777")).toBeNull();
    expect(parseMode("u+rw")).toBeNull();
    expect(outputDirMode()).toBe(0o700);
  });
});


describe("systemTool", () => {
  test("only PATH's absolute directories are searched: never the current directory", () => {
    const d = mkdtempSync("/tmp/salvage-tool-");
    try {
      writeFileSync(join(d, "sync"), "#!/bin/sh\n", { mode: 0o755 });
      const here = process.cwd();
      process.chdir(d);
      try {
        expect(Bun.which("sync", { PATH: ".:" })).toBe(`${d}/./sync`); // what a relative entry would do
        expect(systemTool("sync", ".::/nonexistent")).toBeNull();
        expect(systemTool("sync", `.:${d}`)).toBe(join(d, "sync"));
      } finally {
        process.chdir(here);
      }
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  // Another user's directory or program, reached through an absolute PATH entry (sudo -E,
  // a profile that adds ~/bin): skipped, and the search goes on to the system's own.
  const system = Bun.which("sync", { PATH: "/usr/bin:/bin" })!;
  const planted = (setup: (dir: string, file: string) => void) => {
    const d = mkdtempSync("/tmp/salvage-tool-");
    const file = join(d, "sync");
    writeFileSync(file, "#!/bin/sh\n", { mode: 0o755 });
    chmodSync(d, 0o755);
    setup(d, file);
    try {
      return systemTool("sync", `${d}:/usr/bin:/bin`);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  };
  test("a directory of our own with a program of our own: used", () => {
    expect(planted(() => {})).toMatch(/\/salvage-tool-.*\/sync$/);
  });
  test.each([
    ["a directory writable by others", (d: string) => chmodSync(d, 0o777)],
    ["a program writable by others", (_d: string, f: string) => chmodSync(f, 0o757)],
    ["a program writable by its group", (_d: string, f: string) => chmodSync(f, 0o775)],
  ])("%s: skipped", (_name, setup) => {
    expect(planted(setup)).toBe(system);
  });
  test.skipIf(skipBecause(process.geteuid?.() !== 0 && "chown needs root (CI runs as root)")).each([
    ["a directory owned by another user", (d: string) => chownSync(d, 65534, 65534)],
    ["a program owned by another user", (_d: string, f: string) => chownSync(f, 65534, 65534)],
  ])("%s: skipped", (_name, setup) => {
    expect(planted(setup)).toBe(system);
  });
});
