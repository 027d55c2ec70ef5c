// Fill mode: write a recognizable marker into the target sectors whose map status is in
// `types` (normally '-'), so damaged files can be found by grepping a mounted image.
// Each sector starts with its own position, then the text repeated to the sector's end.
import { nextWork, type Domain } from "./domain.ts";
import type { RescueTarget } from "./context.ts";
import type { StatusMap } from "./status-map.ts";
import type { BlockStatus } from "./status.ts";

export function fillBlocks(map: StatusMap, domain: Domain, types: readonly BlockStatus[], sector: number, text: string, target: RescueTarget): number {
  const buf = new Uint8Array(sector);
  const enc = new TextEncoder();
  const tail = enc.encode(` ${text}`);
  let written = 0;
  // Each piece is one extent of a wanted status clipped to one domain range, in order.
  for (let r = nextWork(map, domain, types.join(""), 0, 1); r; r = nextWork(map, domain, types.join(""), r[1], 1)) {
    const [from, to] = r;
    const status = map.statusAt(from)!;
    for (let p = from; p < to; p += sector - (p % sector)) {
      const len = Math.min(to, p - (p % sector) + sector) - p;
      const head = enc.encode(`\n# position 0x${p.toString(16).toUpperCase().padStart(8, "0")} status ${status} ${text}`);
      for (let i = 0; i < len; i++) buf[i] = i < head.length ? head[i]! : tail[(i - head.length) % tail.length]!;
      target.write(buf, len, p);
      written += len;
    }
  }
  return written;
}
