// --sync: O_DIRECT reads into block-aligned buffers. With a block size the device cannot do
// directly (-b 1000), every read fails with EINVAL and safecopy treats it as a bad block
// (reference §12.13); salvage must do the same. Compared with Debian safecopy on a
// filesystem that supports O_DIRECT (/var/tmp; tmpfs does not).
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pattern } from "./engine-harness.ts";

const SAFECOPY = "/usr/bin/safecopy";
const ROOT = join(import.meta.dir, "../..");
const base = "/var/tmp";

function directIoWorks(): boolean {
  if (!existsSync(SAFECOPY) || !existsSync(base)) return false;
  const dir = mkdtempSync(join(base, "salvage-odirect-"));
  try {
    writeFileSync(join(dir, "f"), new Uint8Array(4096));
    return Bun.spawnSync(["dd", `if=${join(dir, "f")}`, "of=/dev/null", "iflag=direct", "bs=4096", "status=none"]).exitCode === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const ready = directIoWorks();
if (!ready) console.warn(`skipping --sync tests: needs ${SAFECOPY} and O_DIRECT support in ${base}`);

function run(cmd: string[], args: string[]) {
  const dir = mkdtempSync(join(base, "salvage-sync-"));
  try {
    writeFileSync(join(dir, "src.dat"), pattern(20000, 6));
    const r = Bun.spawnSync([...cmd, ...args, "src.dat", "out.dat"], { cwd: dir, timeout: 30_000 });
    const files: Record<string, string> = {};
    for (const f of readdirSync(dir).sort()) files[f] = readFileSync(join(dir, f)).toString("hex");
    return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString(), files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!ready)("--sync (O_DIRECT) like safecopy", () => {
  for (const args of [
    ["--sync", "-b", "4096"],
    ["--sync", "-b", "1000", "-R", "1", "-Z", "0", "-o", "bb"],
    ["--sync", "-b", "512", "-f", "2*", "-r", "100", "-R", "2", "-Z", "1", "-M", "X", "-o", "bb"],
  ]) {
    test(args.join(" "), () => {
      const theirs = run([SAFECOPY], args);
      const mine = run([process.execPath, `${ROOT}/src/main.ts`, "copy"], args);
      expect(mine).toEqual(theirs);
    });
  }
});
