// What The Sleuth Kit says about the FFS fixtures, shared by the TSK differential tests and
// scripts/record-oracles.ts: `blkls` output (size and hash), the free fragments of
// `blkls -l` (as ranges), and `fsstat` text verbatim.
import { join } from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { digest, type Recipe } from "../helpers/oracle.ts";
import { fixturePath, fixtures, scratchDir } from "./fixtures.ts";

export const tskFixtures = fixtures.filter((f) => f.tsk !== null);

/** "3-7,9,12-20": fragment numbers as ranges. */
export function toRanges(frags: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < frags.length; ) {
    let j = i;
    while (j + 1 < frags.length && frags[j + 1] === frags[j]! + 1) j++;
    out.push(i === j ? `${frags[i]}` : `${frags[i]}-${frags[j]}`);
    i = j + 1;
  }
  return out.join(",");
}

export function fromRanges(text: string): number[] {
  const out: number[] = [];
  for (const r of text.split(",").filter(Boolean)) {
    const [a, b] = r.split("-").map(Number);
    for (let f = a!; f <= (b ?? a!); f++) out.push(f);
  }
  return out;
}

/** The free fragments a `blkls -l` listing names ("N|f" lines). */
export function listedFree(text: string): number[] {
  return text.split("\n").filter((l) => /^\d+\|f$/.test(l)).map((l) => Number(l.split("|")[0]));
}

/** makefs_ufs1_be behind 1 MiB of 0x5a: a filesystem at a partition offset. */
export function paddedImage(): string {
  const img = fixturePath("makefs_ufs1_be.img.gz");
  const pad = 1 << 20;
  const raw = Bun.file(img);
  const whole = new Uint8Array(pad + raw.size).fill(0x5a, 0, pad);
  whole.set(readFileSync(img), pad);
  const p = join(scratchDir(), "padded.img");
  writeFileSync(p, whole);
  return p;
}
export const paddedKey = "blkls -o 2048 makefs_ufs1_be.img.gz behind 1 MiB";

const tool = (path: string, args: string[]) => {
  const r = Bun.spawnSync([path, ...args], { stdin: "ignore", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${path} ${args.join(" ")}: exit ${r.exitCode} ${r.stderr}`);
  return new Uint8Array(r.stdout);
};

export const tskRecipe: Recipe<string> = {
  name: "sleuthkit/ffs-fixtures",
  tools: ["blkls", "fsstat"],
  keys: [...tskFixtures.flatMap((f) => [`blkls ${f.name}`, `blkls -l ${f.name}`, `fsstat ${f.name}`]), paddedKey],
  run(key, t) {
    if (key === paddedKey) return digest(tool(t.blkls!, ["-f", "ufs1", "-o", String((1 << 20) / 512), paddedImage()]));
    const name = key.split(" ").at(-1)!;
    const f = tskFixtures.find((x) => x.name === name)!;
    const img = fixturePath(name);
    if (key.startsWith("blkls -l")) return toRanges(listedFree(new TextDecoder().decode(tool(t.blkls!, ["-l", "-f", f.tsk!, img]))));
    if (key.startsWith("blkls")) return digest(tool(t.blkls!, ["-f", f.tsk!, img]));
    return new TextDecoder().decode(tool(t.fsstat!, ["-f", f.tsk!, img]));
  },
};
