// What a path is: kind, size and sector geometry. Used by `salvage info` and by the
// rescue commands to choose block sizes and alignment.
import { close, openSource, accessRaw, W_OK } from "../native/io.ts";
import { statFd, type FileKind, type FileStat } from "../native/stat.ts";
import { blockGeometry } from "../native/blockdev.ts";
import { probeMedium, mediumSize } from "../devices/probe-medium.ts";
import type { Medium } from "../devices/medium.ts";

export interface DeviceInfo {
  path: string;
  kind: FileKind;
  /** Bytes; null where the kernel cannot say (pipes, most character devices). */
  size: number | null;
  logicalSector: number | null;
  physicalSector: number | null;
  blksize: number;
  readOnly: boolean;
  stat: FileStat;
  /** CD/DVD/floppy details for block devices (issue 6). */
  medium?: Medium;
}

export function probe(path: string): DeviceInfo {
  // O_NONBLOCK so probing a FIFO does not wait for a writer.
  const fd = openSource(path, { nonblock: true });
  try {
    const st = statFd(fd, path);
    const info: DeviceInfo = {
      path,
      kind: st.kind,
      size: st.kind === "regular" ? st.size : null,
      logicalSector: null,
      physicalSector: null,
      blksize: st.blksize,
      readOnly: accessRaw(path, W_OK) !== 0,
      stat: st,
    };
    if (st.kind === "block") {
      const g = blockGeometry(fd, path);
      info.size = g.size;
      info.logicalSector = g.logicalSector;
      info.physicalSector = g.physicalSector;
      info.readOnly = g.readOnly;
      info.medium = probeMedium(path, fd);
      info.size = mediumSize(info.medium) ?? info.size;
    }
    return info;
  } finally {
    close(fd);
  }
}
