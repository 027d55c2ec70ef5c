// The failure models of `simulate make`: each turns a seeded generator and its parameters
// into candidate damage extents (patterns.ts drops overlaps and merges touching bad runs).
// Every model says what physical failure it stands for; docs/simulate.md has the same text.
import { between } from "./random.ts";
import type { DamageExtent, ExtentKind } from "./model.ts";

export type Add = (first: number, count: number, kind: ExtentKind, extra?: Partial<DamageExtent>) => void;

/** A parameter value: a fixed number (lo === hi) or a range drawn anew for every item. */
export type Range = [number, number];
export type Params = Record<string, Range>;

export interface Model {
  /** The physical story, for --help and the docs. */
  story: string;
  /** Parameter defaults and what each means. */
  params: Record<string, { dflt: string; doc: string }>;
  make(r: () => number, sectors: number, add: Add, p: Params): void;
}

/** An integer drawn from a range. */
const draw = (r: () => number, [lo, hi]: Range) => (lo === hi ? lo : between(r, Math.ceil(lo), Math.floor(hi)));

/** `count` groups of `length` sectors of one kind, each at a random place. */
function groups(r: () => number, sectors: number, add: Add, p: Params, kind: ExtentKind, extra: () => Partial<DamageExtent>): void {
  const n = draw(r, p.count!);
  for (let i = 0; i < n; i++) add(between(r, 0, sectors - 1), draw(r, p.length!), kind, extra());
}

export const models: Record<string, Model> = {
  areas: {
    story: "solid bad areas: a few spots of the surface are destroyed (a head touched down, a particle was ground in); every sector in them fails",
    params: { count: { dflt: "4", doc: "number of areas" }, length: { dflt: "1500-2500", doc: "sectors per area" } },
    make(r, sectors, add, p) {
      const n = draw(r, p.count!);
      for (let i = 0; i < n; i++) {
        const len = draw(r, p.length!);
        add(between(r, 0, Math.max(0, sectors - len)), len, "bad");
      }
    },
  },
  islands: {
    story: "bad areas with readable islands: a region is pitted rather than wiped, so runs of bad sectors alternate with small islands that still read",
    params: {
      count: { dflt: "4", doc: "number of damaged areas" },
      span: { dflt: "800-1600", doc: "sectors per area" },
      bad: { dflt: "1-64", doc: "sectors per bad run" },
      island: { dflt: "1-24", doc: "sectors per readable island" },
    },
    make(r, sectors, add, p) {
      const n = draw(r, p.count!);
      for (let c = 0; c < n; c++) {
        const span = Math.min(sectors, draw(r, p.span!));
        let s = between(r, 0, Math.max(0, sectors - span));
        const end = s + span;
        while (s < end) {
          const bad = draw(r, p.bad!);
          add(s, Math.min(bad, end - s), "bad");
          s += bad + draw(r, p.island!);
        }
      }
    },
  },
  head: {
    story:
      "a failing head: the drive lays its sectors out in bands that go to each surface in turn, so a dead head makes a bad band in every period across the whole disk; where the band begins and ends the signal is marginal, and bad and readable sectors mix (ragged edges)",
    params: {
      period: { dflt: "3000-3400", doc: "sectors from one band to the next" },
      band: { dflt: "500-700", doc: "sectors per bad band" },
      ragged: { dflt: "0-48", doc: "sectors of ragged edge at each end of a band" },
      speck: { dflt: "1-4", doc: "sectors per bad speck and per readable gap in a ragged edge" },
    },
    make(r, sectors, add, p) {
      const ragged = (from: number, len: number) => {
        for (let s = from; s < from + len; ) {
          const bad = draw(r, p.speck!);
          add(s, Math.min(bad, from + len - s), "bad");
          s += bad + draw(r, p.speck!);
        }
      };
      for (let s = between(r, 0, draw(r, p.period!)); s < sectors; s += draw(r, p.period!)) {
        const band = draw(r, p.band!);
        const lead = Math.min(draw(r, p.ragged!), band >> 2);
        const trail = Math.min(draw(r, p.ragged!), band >> 2);
        ragged(s, lead);
        add(s + lead, band - lead - trail, "bad");
        ragged(s + band - trail, trail);
      }
    },
  },
  scratch: {
    story:
      "a radial scratch: it crosses each track of the region it spans once per revolution, so short bad runs repeat at the track length; tracks get shorter towards the spindle (zoned recording), and so does the stride",
    params: {
      start: { dflt: "0", doc: "where the scratch begins, as a fraction of the disk (0-1)" },
      extent: { dflt: "1", doc: "how much of the disk it spans, as a fraction (0-1)" },
      track: { dflt: "1000", doc: "sectors per track where it begins" },
      inner: { dflt: "0.6", doc: "track length where it ends, relative to where it begins" },
      width: { dflt: "2-8", doc: "bad sectors per crossing" },
      wobble: { dflt: "0-16", doc: "sectors by which each crossing misses the exact stride" },
    },
    make(r, sectors, add, p) {
      const from = Math.floor(p.start![0] * sectors);
      const to = Math.min(sectors, from + Math.floor(p.extent![0] * sectors));
      const track = Math.max(16, p.track![0]);
      for (let s = from + between(r, 0, track - 1); s < to; ) {
        add(s + draw(r, p.wobble!), draw(r, p.width!), "bad");
        const progress = (s - from) / Math.max(1, to - from);
        s += Math.max(16, Math.round(track * (1 - (1 - p.inner![0]) * progress)));
      }
    },
  },
  scattered: {
    story: "scattered bad sectors: many independent small defects all over the disk",
    params: { density: { dflt: "0.001", doc: "defects per sector" }, length: { dflt: "1-2", doc: "sectors per defect" } },
    make(r, sectors, add, p) {
      const n = Math.max(1, Math.round(sectors * p.density![0]));
      for (let i = 0; i < n; i++) add(between(r, 0, sectors - 1), draw(r, p.length!), "bad");
    },
  },
  weak: {
    story: "weak sectors: marginal sectors that fail the first k attempts, then read (a retry pays off)",
    params: {
      count: { dflt: "60", doc: "number of weak groups" },
      length: { dflt: "1-4", doc: "sectors per group" },
      k: { dflt: "1-4", doc: "failed attempts before a sector reads" },
    },
    make: (r, sectors, add, p) => groups(r, sectors, add, p, "weak", () => ({ fails: draw(r, p.k!) })),
  },
  slow: {
    story: "slow sectors: areas that read, but only after the drive struggles with each sector",
    params: {
      count: { dflt: "16", doc: "number of slow areas" },
      length: { dflt: "16-256", doc: "sectors per area" },
      ms: { dflt: "20-200", doc: "extra milliseconds per sector" },
    },
    make: (r, sectors, add, p) => groups(r, sectors, add, p, "slow", () => ({ costNs: draw(r, p.ms!) * 1e6 })),
  },
};
