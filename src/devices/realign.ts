// Head realignment (-Z): after a read error, read the first and the last block of the
// device, `times` times, each through a fresh synchronous open. The long seeks make a
// disk or floppy drive move its heads across the whole surface and recalibrate, which
// can cure a head that drifted off track. Failures are ignored: this is a nudge, not a read.
import { close, openSourceRaw, preadRaw } from "../native/io.ts";

export function realignHeads(path: string, blockSize: number, size: number | null, times: number, buf: Uint8Array): void {
  const n = Math.min(blockSize, buf.length);
  for (let i = 0; i < times; i++) {
    for (const at of size !== null && size >= n ? [0, size - n] : [0]) {
      const fd = openSourceRaw(path, { sync: true, nonblock: true });
      if (fd < 0) continue;
      preadRaw(fd, buf, n, at);
      close(fd);
    }
  }
}
