// ddrescue --ask: show what is about to be read and written, as ddrescue does
// ("[MODEL::SERIAL] (SIZE)"), and go on only when the answer starts with 'y'. The model and
// serial number, when the device has them, come from sysfs and udev's database (text
// files; no ioctl), and are escaped before reaching the terminal: they come from the drive.
import { readFileSync, readSync, realpathSync, statSync } from "node:fs";
import { basename } from "node:path";
import { escapeText } from "../../util/escape.ts";
import { UserError } from "../exit.ts";

function readText(path: string): string | null {
  try {
    return readFileSync(path, "latin1").trim() || null;
  } catch {
    return null;
  }
}

/** "[MODEL::SERIAL] " for a block device (a partition: its disk's), "" otherwise. */
export function deviceIdentity(path: string): string {
  let name: string;
  let rdev: number;
  try {
    const st = statSync(path);
    if (!st.isBlockDevice()) return "";
    name = basename(realpathSync(path));
    rdev = st.rdev;
  } catch {
    return "";
  }
  const sys = `/sys/class/block/${name}`;
  // A partition's directory has a "partition" file; the disk is its parent directory.
  const disk = readText(`${sys}/partition`) ? `${realpathSync(sys)}/..` : sys;
  const model = readText(`${disk}/device/model`);
  let serial = readText(`${disk}/device/serial`);
  if (!serial) {
    const dev = readText(`${disk}/dev`) ?? `${Math.floor(rdev / 256)}:${rdev % 256}`;
    serial = /^E:ID_SERIAL_SHORT=(.*)$/m.exec(readText(`/run/udev/data/b${dev}`) ?? "")?.[1] ?? null;
  }
  if (!model && !serial) return "";
  return `[${escapeText(model ?? "")}::${escapeText(serial ?? "")}] `;
}

function describe(path: string, size: number | null): string {
  return `'${escapeText(path)}' ${deviceIdentity(path)}${size === null ? "(does not exist yet)" : `(${size})`}`;
}

/** One line read from stdin, synchronously (the rescue has not started yet). */
function readAnswer(): string {
  const buf = Buffer.alloc(256);
  let answer = "";
  for (;;) {
    let n = 0;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch {
      return answer;
    }
    if (n <= 0) return answer;
    answer += buf.subarray(0, n).toString("latin1");
    if (answer.includes("\n")) return answer;
  }
}

/** Ask on stderr; throws (nothing written yet) unless the answer starts with 'y'. */
export function confirmDevices(src: string, srcSize: number, dst: string, dstSize: number | null): void {
  process.stderr.write(`About to rescue\n  from ${describe(src, srcSize)}\n    to ${describe(dst, dstSize)}\nProceed (y/N)? `);
  const answer = readAnswer();
  if (!answer.trimStart().toLowerCase().startsWith("y")) throw new UserError("not confirmed (--ask): nothing was written");
}
