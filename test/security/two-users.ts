// A throwaway second user for the security tests: created with useradd (as root), used to
// plant files with setpriv, deleted afterwards. The scene is a directory tree under /tmp:
//   base/         root's, 0755: the victim file, the evil library's marker
//   base/home     the other user's own directory (root sometimes writes results there)
//   base/shared   a sticky world-writable directory, like /tmp
import { afterAll } from "bun:test";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface OtherUser {
  name: string;
  uid: number;
  gid: number;
}

export interface Scene {
  user: OtherUser;
  base: string;
  home: string;
  shared: string;
  /** A root-owned file that must never change ("/etc/shadow"). */
  victim: string;
  victimText: string;
  /** Run argv as the other user; throws when it fails. */
  asUser(argv: string[], cwd?: string): string;
}

/** Why the two-user tests cannot run here, or undefined. */
export function twoUserSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return "two-user tests need root (useradd, setpriv)";
  for (const tool of ["useradd", "userdel", "setpriv", "gcc", "perl"]) if (!Bun.which(tool)) return `${tool} not found`;
  return undefined;
}

function run(argv: string[], what: string): string {
  const p = Bun.spawnSync(argv, { stdin: "ignore" });
  if (p.exitCode !== 0) throw new Error(`${what} failed: ${p.stderr.toString().trim()}`);
  return p.stdout.toString();
}

function createUser(): OtherUser {
  const name = `salvt${Math.random().toString(36).slice(2, 8)}`;
  // /etc/passwd may be locked for a moment by another useradd on the machine: retry.
  for (let attempt = 0; ; attempt++) {
    const p = Bun.spawnSync(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", name], { stdin: "ignore" });
    if (p.exitCode === 0) break;
    if (attempt >= 20) throw new Error(`useradd failed: ${p.stderr.toString().trim()}`);
    Bun.sleepSync(200);
  }
  const uid = Number(run(["id", "-u", name], "id -u").trim());
  const gid = Number(run(["id", "-g", name], "id -g").trim());
  return { name, uid, gid };
}

function deleteUser(name: string): void {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (Bun.spawnSync(["userdel", name], { stdin: "ignore" }).exitCode === 0) return;
    Bun.sleepSync(200);
  }
}

/** Set up the scene once per test file (call at top level; cleaned up after all tests). */
export function makeScene(): Scene {
  const user = createUser();
  // /tmp itself, not $TMPDIR: the other user must be able to reach the scene.
  const base = mkdtempSync("/tmp/salvage-sec-");
  chmodSync(base, 0o755);
  const home = join(base, "home");
  mkdirSync(home);
  chownSync(home, user.uid, user.gid);
  const shared = join(base, "shared");
  mkdirSync(shared);
  chmodSync(shared, 0o1777);
  const victim = join(base, "victim");
  const victimText = "root:precious:do not touch\n";
  writeFileSync(victim, victimText, { mode: 0o644 });
  afterAll(() => {
    rmSync(base, { recursive: true, force: true });
    deleteUser(user.name);
  });
  const asUser = (argv: string[], cwd?: string) => {
    const p = Bun.spawnSync(["setpriv", `--reuid=${user.uid}`, `--regid=${user.gid}`, "--clear-groups", "--", ...argv], {
      cwd: cwd ?? home,
      stdin: "ignore",
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", HOME: home },
    });
    if (p.exitCode !== 0) throw new Error(`as ${user.name}: ${argv.join(" ").slice(0, 200)} failed: ${p.stderr.toString().trim().slice(0, 400)}`);
    return p.stdout.toString();
  };
  return { user, base, home, shared, victim, victimText, asUser };
}

/**
 * A shared library whose constructor appends "loaded" to `marker`: what an attacker would plant.
 * Built by root into `dir`; `padTo` pads it with zeros to a given size (a size check is no defence).
 */
export function buildEvilLibrary(dir: string, marker: string, padTo?: number): string {
  const src = join(dir, "evil.c");
  const lib = join(dir, "evil.so");
  writeFileSync(
    src,
    `#include <stdio.h>\n__attribute__((constructor)) static void planted(void) { FILE *f = fopen(${JSON.stringify(marker)}, "a"); if (f) { fputs("loaded\\n", f); fclose(f); } }\n`,
  );
  run(["gcc", "-shared", "-fPIC", "-o", lib, src], "gcc evil.so");
  if (padTo !== undefined) {
    const size = statSync(lib).size;
    if (size > padTo) throw new Error(`evil.so (${size} bytes) is larger than ${padTo}`);
    run(["truncate", "-s", String(padTo), lib], "truncate");
  }
  chmodSync(lib, 0o755);
  return lib;
}

/** The last pid handed out: planting names for the next few thousand covers the next process. */
export function lastPid(): number {
  return Number(readFileSync("/proc/sys/kernel/ns_last_pid", "utf8").trim());
}
