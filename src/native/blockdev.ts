// Block device geometry through BLK* ioctls.
import { shim } from "./library.ts";
import { check } from "./io.ts";

export interface BlockGeometry {
  size: number;
  logicalSector: number;
  physicalSector: number;
  readOnly: boolean;
}

export function blockGeometry(fd: number, path?: string): BlockGeometry {
  const s = shim();
  return {
    size: check(s.shim_blk_size64(fd) as number, "BLKGETSIZE64", path),
    logicalSector: check(s.shim_blk_logical_sector(fd), "BLKSSZGET", path),
    physicalSector: check(s.shim_blk_physical_sector(fd), "BLKPBSZGET", path),
    readOnly: check(s.shim_blk_readonly(fd), "BLKROGET", path) !== 0,
  };
}
