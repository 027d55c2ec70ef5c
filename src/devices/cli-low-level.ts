// The low-level device as the safecopy runner sees it (src/io/low-level-device.ts):
// nothing happens until the runner probes the source (only with -L 1 or 2); then the
// medium is detected and the matching device (CD/DVD, floppy, plain) does the work.
import type { LowLevelDevice, LowLevelProbe } from "../io/low-level-device.ts";
import type { Source } from "../io/source.ts";
import type { DeviceLowLevel, Log } from "./low-level-device.ts";
import { openLowLevelDevice } from "./open-low-level.ts";

/** safecopy's --debug bit for I/O messages; ioctl results are shown under it. */
const DEBUG_IO = 2;

export class CliLowLevel implements LowLevelDevice {
  private device: DeviceLowLevel | null = null;
  private readonly log: Log;

  constructor(write: (text: string) => void, debugBits: number) {
    this.log = {
      info: (l) => write(`${l}\n`),
      warn: (l) => write(`Warning: ${l}\n`),
      debug: (l) => { if (debugBits & DEBUG_IO) write(`debug: ${l}\n`); },
    };
  }

  probe(path: string): LowLevelProbe {
    this.device?.close();
    this.device = openLowLevelDevice(path, this.log);
    return this.device.probe(path, 0, 0);
  }

  read(source: Source, buf: Uint8Array, length: number, position: number): number {
    return this.device ? this.device.read(source, buf, length, position) : source.read(buf, length, position);
  }

  afterReadError(): void {
    this.device?.afterReadError();
  }

  canSeek(): boolean {
    return this.device?.canSeek() ?? false;
  }
}

/**
 * The --debug level from safecopy-style arguments (`--debug N`, exact match as in
 * safecopy's parser; the last one wins). The runner parses it too, but only after the
 * low-level device has been handed to it.
 */
export function debugBitsFromArgv(argv: readonly string[]): number {
  let bits = 0;
  for (let i = 0; i + 1 < argv.length; i++) if (argv[i] === "--debug") bits = Number.parseInt(argv[i + 1]!, 10) || 0;
  return bits;
}
