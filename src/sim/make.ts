// `simulate make`: a deterministic test disk (content without zero bytes) and its damage file.
import { ftruncateSync, writeSync } from "node:fs";
import { writeFileAtomically, writeTextAtomically } from "../util/atomic-file.ts";
import { formatDamageFile } from "./damage-file.ts";
import { emptyModel, type DamageModel, type Timing } from "./model.ts";
import { makePattern, type PatternName } from "./patterns.ts";
import { fillContent } from "./random.ts";

export interface MakeOptions {
  image: string;
  damage: string;
  size: number;
  pattern: PatternName;
  seed: number;
  sectorSize: number;
  /** The pattern's parameters (pattern-models.ts), as given on the command line. */
  params?: Record<string, string>;
  /** How a read meeting a bad sector ends (default: short). */
  onError?: DamageModel["onError"];
  /** Timing changed from the default disk's. */
  timing?: Partial<Timing>;
  /** The command line, for the damage file's comment. */
  command?: string;
  /** A sparse image of zeros instead of content: a huge disk for size and memory tests,
   *  costing no disk space (a byte-by-byte score cannot tell missed from recovered then). */
  sparse?: boolean;
}

const CHUNK = 4 << 20;

export function makeDisk(o: MakeOptions): DamageModel {
  if (o.size % o.sectorSize !== 0) throw new RangeError(`size ${o.size} is not a multiple of the sector size ${o.sectorSize}`);
  const model = emptyModel(o.sectorSize);
  model.extents = makePattern(o.pattern, o.size / o.sectorSize, o.seed, o.params);
  if (o.onError) model.onError = o.onError;
  Object.assign(model.timing, o.timing);
  if (o.sparse) writeSparseImage(o.image, o.size);
  else writeImage(o.image, o.size, o.seed);
  writeTextAtomically(o.damage, formatDamageFile(model, [o.command ?? `salvage simulate make --size ${o.size} --pattern ${o.pattern} --seed ${o.seed}`]));
  return model;
}

function writeSparseImage(path: string, size: number): void {
  writeFileAtomically(path, (fd) => ftruncateSync(fd, size));
}

/** One reused buffer, whatever the size. */
export function writeImage(path: string, size: number, seed: number): void {
  const buf = new Uint8Array(Math.min(CHUNK, size));
  writeFileAtomically(path, (fd) => {
    for (let off = 0; off < size; off += CHUNK) {
      const part = buf.subarray(0, Math.min(CHUNK, size - off));
      fillContent(part, off, seed);
      writeSync(fd, part, 0, part.length, off);
    }
  });
}
