// Reading a mapfile straight into a StatusMap, 1 MiB of the file at a time: memory is
// the map's (bytes per extent), never the file's text. Loose maps (user-made domain and
// test-mode maps: unsorted, overlapping, gappy) are collected as packed numbers, sorted
// by position and normalised: where blocks overlap the earlier-starting one wins, gaps
// become non-tried.
import { closeSync, openSync, readSync } from "node:fs";
import { StatusMap } from "../rescue/mapfile/status-map.ts";
import type { StatusLine } from "../rescue/mapfile/status.ts";
import { MapfileParser, type ParseOptions } from "./mapfile-parse.ts";

export interface LoadedMap {
  current: StatusLine;
  /** Ends where the file's last block ends. */
  map: StatusMap;
}

const READ_CHUNK = 1 << 20;

/** Feed a file to `push`, a chunk at a time, until the end or until push returns false. */
export function feedFromFile(path: string, push: (chunk: Uint8Array) => boolean | void): void {
  const fd = openSync(path, "r");
  try {
    const buf = new Uint8Array(READ_CHUNK);
    for (let n = readSync(fd, buf, 0, READ_CHUNK, null); n > 0; n = readSync(fd, buf, 0, READ_CHUNK, null)) {
      if (push(buf.subarray(0, n)) === false) return;
    }
  } finally {
    closeSync(fd);
  }
}

/** Parse mapfile bytes (given in pieces by `feed`) into a map. */
export function loadMap(feed: (push: (chunk: Uint8Array) => void) => void, options: ParseOptions = {}): LoadedMap {
  if (options.loose) return loadLoose(feed);
  const map = new StatusMap(0);
  let covered = 0;
  const parser = new MapfileParser((pos, size, code) => {
    map.appendExtent(pos, code);
    covered = pos + size;
  });
  feed((c) => parser.push(c));
  const current = parser.finish();
  map.sealAppends(covered, covered);
  return { current, map };
}

/** Growable packed arrays of blocks. */
class BlockList {
  pos = new Float64Array(1024);
  size = new Float64Array(1024);
  code = new Uint8Array(1024);
  n = 0;
  sorted = true;

  add(pos: number, size: number, code: number): void {
    if (this.n === this.pos.length) {
      const grow = <T extends Float64Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.pos = grow(this.pos);
      this.size = grow(this.size);
      this.code = grow(this.code);
    }
    if (this.n > 0 && pos < this.pos[this.n - 1]!) this.sorted = false;
    this.pos[this.n] = pos;
    this.size[this.n] = size;
    this.code[this.n++] = code;
  }

  /** Indices in position order (stable). */
  order(): Uint32Array {
    const idx = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) idx[i] = i;
    if (!this.sorted) idx.sort((a, b) => this.pos[a]! - this.pos[b]! || a - b);
    return idx;
  }
}

function loadLoose(feed: (push: (chunk: Uint8Array) => void) => void): LoadedMap {
  const list = new BlockList();
  const parser = new MapfileParser((pos, size, code) => list.add(pos, size, code), { loose: true });
  feed((c) => parser.push(c));
  const current = parser.finish();
  const map = new StatusMap(0);
  let at = 0;
  for (const i of list.order()) {
    const start = Math.max(list.pos[i]!, at);
    const end = list.pos[i]! + list.size[i]!;
    if (end <= start) continue;
    if (start > at) map.appendExtent(at, 0);
    map.appendExtent(start, list.code[i]!);
    at = end;
  }
  map.sealAppends(at, at);
  return { current, map };
}

export function loadMapFile(path: string, options: ParseOptions = {}): LoadedMap {
  return loadMap((push) => feedFromFile(path, push), options);
}
