// GNU ddrescue mapfiles: parse and serialize, nothing else. The layout written is the one
// ddrescue 1.27 writes, byte for byte (printf formats "0x%08llX     %c               %d"
// for the status line, "0x%08llX  0x%08llX  %c" for blocks), so ddrescue, ddrescuelog and
// ddrescueview read our maps, and we read theirs.
//
// This module is the small-map convenience layer (text in, block objects out). Large maps
// go through the streaming pieces it is built on: mapfile-parse.ts (bytes → blocks),
// mapfile-load.ts (file → StatusMap) and mapfile-write.ts (map → bytes, a piece at a time).
import type { BlockStatus, PhaseStatus, StatusLine } from "../rescue/mapfile/status.ts";
import { STATUS_BY_CODE } from "../rescue/mapfile/extent-chunk.ts";
import type { Extent } from "../rescue/mapfile/status-map.ts";
import { loadMap } from "./mapfile-load.ts";
import { MapfileError, MapfileParser, type ParseOptions } from "./mapfile-parse.ts";
import { arrayBlocks, encodeAll, MapfileEncoder } from "./mapfile-write.ts";
import { formatTime, type MapfileHeader } from "./mapfile-header.ts";

export type MapfileStatus = StatusLine;

export interface Mapfile {
  current: MapfileStatus;
  blocks: Extent[];
}

export function parseMapfile(text: string, options: ParseOptions = {}): Mapfile {
  const feed = (push: (c: Uint8Array) => void) => push(Buffer.from(text, "latin1"));
  if (options.loose) {
    const { current, map } = loadMap(feed, options);
    return { current, blocks: map.extents() };
  }
  const blocks: Extent[] = [];
  const parser = new MapfileParser((pos, size, code) => void blocks.push({ pos, size, status: STATUS_BY_CODE[code]! }));
  feed((c) => parser.push(c));
  return { current: parser.finish(), blocks };
}

export function serializeMapfile(map: Mapfile, header?: MapfileHeader): string {
  return Buffer.from(encodeAll(new MapfileEncoder(arrayBlocks(map.blocks), map.current, header))).toString("latin1");
}

export { MapfileError, formatTime };
export type { BlockStatus, PhaseStatus, MapfileHeader, ParseOptions };
