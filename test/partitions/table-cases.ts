// What sfdisk (util-linux) and mmls (The Sleuth Kit) say about the partition fixtures, shared
// by test/partitions/differential.test.ts and scripts/record-oracles.ts. sfdisk's --json is kept
// as its partition list (node number, start, size, type, name); mmls's text verbatim; blkls's
// output of the UFS in a partition as size and hash. (mmls
// is not asked about the GPT without its primary header: TSK 4.11 does not read the backup.)
import { digest, type Recipe } from "../helpers/oracle.ts";
import { diskPath, gptWithoutPrimary } from "./fixtures.ts";

export interface SfdiskTable {
  label: string;
  sectorsize: number;
  partitions: Array<{ n: number; start: number; size: number; type: string; name?: string }>;
}

/** sfdisk's JSON as recorded: the device path (a temporary file) left out. */
export function sfdiskTable(json: string): SfdiskTable {
  const t = JSON.parse(json).partitiontable;
  return {
    label: t.label,
    sectorsize: t.sectorsize,
    partitions: (t.partitions ?? []).map((p: any) => ({ n: Number(/(\d+)$/.exec(p.node)![1]), start: p.start, size: p.size, type: p.type, ...(p.name !== undefined ? { name: p.name } : {}) })),
  };
}

export const noPrimaryGpt = "gpt.img with LBA 1 zeroed";
export const blklsBsdKey = "blkls -f ufs1 -o 2048 bsd-in-mbr.img";
export const blklsLogicalKey = "blkls -f ufs1 -o 9216 mbr-extended.img";

/** key → [tool, its arguments before the image, the image]. */
export const tableCases: Record<string, { tool: "sfdisk" | "mmls" | "blkls"; args: string[]; image: () => string }> = {
  "sfdisk --json mbr-extended.img": { tool: "sfdisk", args: ["--json"], image: () => diskPath("mbr-extended.img") },
  "sfdisk --json gpt.img": { tool: "sfdisk", args: ["--json"], image: () => diskPath("gpt.img") },
  [`sfdisk --json ${noPrimaryGpt}`]: { tool: "sfdisk", args: ["--json"], image: () => diskPath("gpt.img", gptWithoutPrimary()) },
  "sfdisk --json bsd-in-mbr.img": { tool: "sfdisk", args: ["--json"], image: () => diskPath("bsd-in-mbr.img") },
  "mmls mbr-extended.img": { tool: "mmls", args: [], image: () => diskPath("mbr-extended.img") },
  "mmls gpt.img": { tool: "mmls", args: [], image: () => diskPath("gpt.img") },
  "mmls -b 4096 gpt-4k.img": { tool: "mmls", args: ["-b", "4096"], image: () => diskPath("gpt-4k.img") },
  "mmls -t bsd -o 2048 bsd-in-mbr.img": { tool: "mmls", args: ["-t", "bsd", "-o", "2048"], image: () => diskPath("bsd-in-mbr.img") },
  // The UFS inside the BSD partition, end to end: its free fragments (size and hash).
  [blklsBsdKey]: { tool: "blkls", args: ["-f", "ufs1", "-o", "2048"], image: () => diskPath("bsd-in-mbr.img") },
  [blklsLogicalKey]: { tool: "blkls", args: ["-f", "ufs1", "-o", "9216"], image: () => diskPath("mbr-extended.img") },
};

/** Runs the real tool for `key`: sfdisk's table (JSON text, normalised) or mmls's stdout. */
export function runTableCase(key: string, tools: Record<string, string>): string {
  const c = tableCases[key]!;
  const r = Bun.spawnSync([tools[c.tool]!, ...c.args, c.image()], { stdin: "ignore", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${key}: exit ${r.exitCode}: ${r.stderr}`);
  if (c.tool === "blkls") return digest(new Uint8Array(r.stdout));
  const out = r.stdout.toString();
  return c.tool === "sfdisk" ? JSON.stringify(sfdiskTable(out)) : out;
}

export const partitionTablesRecipe: Recipe<string> = {
  name: "partitions/tables",
  tools: ["sfdisk", "mmls", "blkls"],
  keys: Object.keys(tableCases),
  run: runTableCase,
};
