// Errors from the shim carry the errno name (EIO, EINVAL, ...) and where it happened,
// because a rescue tool's user needs "EIO at offset 123456 of /dev/sdb", not a number.
import { constants } from "node:os";

const errnoNames = new Map<number, string>();
for (const [name, value] of Object.entries(constants.errno)) {
  // Several names share a value (EWOULDBLOCK = EAGAIN); keep the first, the canonical one.
  if (!errnoNames.has(value)) errnoNames.set(value, name);
}

/** Linux errno numbers by name, for code that compares results from the shim. */
export const Errno = constants.errno;

export function errnoName(errno: number): string {
  return errnoNames.get(Math.abs(errno)) ?? `errno ${Math.abs(errno)}`;
}

export interface ErrorContext {
  op: string;
  path?: string;
  offset?: number;
}

export class NativeError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly op: string;
  readonly path?: string;
  readonly offset?: number;

  constructor(errno: number, ctx: ErrorContext, description: string) {
    const where = [ctx.path, ctx.offset !== undefined ? `offset ${ctx.offset}` : undefined].filter(Boolean).join(" at ");
    super(`${ctx.op}${where ? ` ${where}` : ""}: ${description} (${errnoName(errno)})`);
    this.name = "NativeError";
    this.errno = Math.abs(errno);
    this.code = errnoName(errno);
    this.op = ctx.op;
    this.path = ctx.path;
    this.offset = ctx.offset;
  }
}
