// --trace FILE: the simulated command (running as whoever runs salvage, often root) appends to
// FILE by name. salvage creates or checks it first, so that name cannot lead elsewhere: never
// through a symlink, only a regular file of our own with one link (not another user's file,
// nor a hard link to someone else's). The preload library opens it with O_NOFOLLOW and makes
// the same checks (csrc/sim/trace.c), in case it was swapped in between.
import { closeSync, constants, fstatSync, openSync } from "node:fs";
import { refuseForeignSymlink } from "../util/foreign-symlink.ts";
import { outputMode } from "../util/output-mode.ts";
import { DamageError } from "./model.ts";

export function prepareTraceFile(path: string): void {
  refuseForeignSymlink(path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, outputMode());
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DamageError(`cannot use trace file ${path}: ${code === "ELOOP" ? "it is a symbolic link" : (code ?? String(e))}`);
  }
  try {
    const st = fstatSync(fd);
    const uid = process.geteuid?.() ?? 0;
    if (!st.isFile()) throw new DamageError(`cannot use trace file ${path}: not a regular file`);
    if (st.uid !== uid) throw new DamageError(`cannot use trace file ${path}: it belongs to another user`);
    if (st.nlink !== 1) throw new DamageError(`cannot use trace file ${path}: it has other hard links`);
  } finally {
    closeSync(fd);
  }
}
