// A fake drive behind the DeviceIoctls interface: each ioctl answers from a script and
// every call is recorded, so detection and recovery can be checked call by call.
import type { DeviceIoctls } from "../../src/devices/ioctls.ts";

const ENOTTY = 25;
/** Far above any descriptor the test process has: closing it is a harmless EBADF. */
export const FAKE_FD = 1_000_000;

export function fakeIoctls(answers: Partial<DeviceIoctls>): DeviceIoctls & { calls: string[] } {
  const calls: string[] = [];
  const notty = () => -ENOTTY;
  const base: DeviceIoctls = {
    cdDriveStatus: notty, cdDiscStatus: notty, cdLastWritten: notty, cdReset: notty,
    cdReadRaw: notty, cdTocHeader: notty, cdTocEntry: notty, dvdPhysical: notty,
    openControl: notty, floppyReset: notty, floppyTwaddle: notty, floppyGeometry: notty, floppyDriveType: notty,
  };
  const merged = { ...base, ...answers } as Record<string, (...a: unknown[]) => unknown>;
  const recorded = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(merged)) {
    recorded[name] = (...args: unknown[]) => {
      calls.push(name);
      return fn(...args);
    };
  }
  return Object.assign(recorded as unknown as DeviceIoctls, { calls });
}
