// salvage's partition lists against sfdisk --json (util-linux) and mmls (The Sleuth Kit) on the
// fixtures of scripts/make-partition-fixtures.ts: the recordings always
// (test/fixtures/oracles/partitions/tables.json), the live tools too when installed.
import { describe, expect, test } from "bun:test";
import { readPartitionTables } from "../../src/partitions/list.ts";
import type { Partition } from "../../src/partitions/types.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { missing, peer, usesLivePeer } from "../helpers/needs.ts";
import { diskBytes, gptWithoutPrimary } from "./fixtures.ts";
import { noPrimaryGpt, partitionTablesRecipe, runTableCase, type SfdiskTable } from "./table-cases.ts";

const recording = loadOracle<string>(partitionTablesRecipe.name);
const live = !missing("sfdisk", "mmls", "blkls");
if (live) usesLivePeer("sfdisk, mmls, blkls");

/** The recorded answer, and the live tool's, which must be the same. */
function oracle(key: string): string {
  const rec = recorded(recording, partitionTablesRecipe.name, key);
  if (live) expect(runTableCase(key, { sfdisk: peer("sfdisk")!, mmls: peer("mmls")!, blkls: peer("blkls")! })).toBe(rec);
  return rec;
}

function ours(bytes: Uint8Array) {
  const read = (offset: number, length: number) => (offset >= 0 && offset + length <= bytes.length ? bytes.subarray(offset, offset + length) : null);
  return readPartitionTables(read, bytes.length);
}

/** Our partitions as sfdisk lists them (it shows the outer table only, no BSD labels). */
function asSfdisk(parts: Partition[], sectorSize: number): SfdiskTable["partitions"] {
  return parts
    .filter((p) => p.scheme !== "bsd")
    .map((p) => ({
      n: p.index,
      start: p.start / sectorSize,
      size: p.length / sectorSize,
      // sfdisk writes MBR types as bare hex ("c", "a5"), GPT types as upper-case GUIDs.
      type: p.scheme === "mbr" ? Number(p.type).toString(16) : p.type,
      ...(p.name !== undefined ? { name: p.name } : {}),
    }));
}

describe("against sfdisk --json", () => {
  const cases: Array<[string, () => Uint8Array]> = [
    ["mbr-extended.img", () => diskBytes("mbr-extended.img")],
    ["gpt.img", () => diskBytes("gpt.img")],
    [noPrimaryGpt, gptWithoutPrimary],
    ["bsd-in-mbr.img", () => diskBytes("bsd-in-mbr.img")],
  ];
  for (const [name, bytes] of cases) {
    test(name, () => {
      const table = JSON.parse(oracle(`sfdisk --json ${name}`)) as SfdiskTable;
      const r = ours(bytes());
      expect(r.table === "gpt" ? "gpt" : "dos").toBe(table.label);
      expect(r.sectorSize).toBe(table.sectorsize);
      expect(asSfdisk(r.partitions, r.sectorSize)).toEqual(table.partitions);
      if (name === noPrimaryGpt) expect(r.notes.join("\n")).toContain("read the backup");
      else expect(r.notes).toEqual([]);
    });
  }
});

interface MmlsRow {
  slot: string;
  start: number;
  length: number;
  description: string;
}

/** mmls's table rows, without the Meta and Unallocated ones. */
function mmlsRows(text: string): MmlsRow[] {
  const rows: MmlsRow[] = [];
  for (const m of text.matchAll(/^\d+:[ \t]+(\d+(?::\d+)?)[ \t]+(\d+)[ \t]+\d+[ \t]+(\d+)[ \t]*(.*)$/gm)) rows.push({ slot: m[1]!, start: Number(m[2]), length: Number(m[3]), description: m[4]!.trim() });
  return rows;
}

describe("against mmls", () => {
  test("mbr-extended.img: every primary and logical partition (mmls shows extended ones as Meta)", () => {
    const theirs = mmlsRows(oracle("mmls mbr-extended.img"));
    const r = ours(diskBytes("mbr-extended.img"));
    const mine = r.partitions.filter((p) => !["0x05", "0x0f", "0x85"].includes(p.type));
    expect(mine.map((p) => [p.start / 512, p.length / 512, p.type])).toEqual(theirs.map((t) => [t.start, t.length, /\((0x[0-9a-f]{2})\)$/.exec(t.description)![1]!]));
  });

  test("gpt.img: slots, ranges and names", () => {
    const theirs = mmlsRows(oracle("mmls gpt.img"));
    const r = ours(diskBytes("gpt.img"));
    expect(r.partitions.map((p) => [p.index - 1, p.start / 512, p.length / 512, p.name ?? ""])).toEqual(theirs.map((t) => [Number(t.slot), t.start, t.length, t.description]));
  });

  test("gpt-4k.img: 4096-byte sectors (mmls -b 4096)", () => {
    const theirs = mmlsRows(oracle("mmls -b 4096 gpt-4k.img"));
    const r = ours(diskBytes("gpt-4k.img"));
    expect(r.table).toBe("gpt");
    expect(r.sectorSize).toBe(4096);
    expect(r.partitions.map((p) => [p.index - 1, p.start / 4096, p.length / 4096])).toEqual(theirs.map((t) => [Number(t.slot), t.start, t.length]));
  });

  test("bsd-in-mbr.img: the disklabel in the FreeBSD slice, as Linux filters it (no unused, no whole-slice entry)", () => {
    const theirs = mmlsRows(oracle("mmls -t bsd -o 2048 bsd-in-mbr.img"));
    // mmls lists every entry, absolute sectors. Linux (and salvage) leave out type 0 ("Unused"),
    // the entry that is the slice itself, and entries outside the slice.
    const slice = { start: 2048, length: 14336 };
    const kept = theirs.filter((t) => !t.description.startsWith("Unused") && !(t.start === slice.start && t.length === slice.length) && t.start >= slice.start && t.start + t.length <= slice.start + slice.length);
    const r = ours(diskBytes("bsd-in-mbr.img"));
    const bsd = r.partitions.filter((p) => p.scheme === "bsd");
    expect(kept.length).toBe(2);
    expect(bsd.map((p) => [String.fromCharCode(96 + p.index), p.start / 512, p.length / 512, Number(p.type)])).toEqual(
      kept.map((t) => [String.fromCharCode(97 + Number(t.slot)), t.start, t.length, Number.parseInt(/\(0x([0-9a-f]+)\)$/.exec(t.description)![1]!, 16)]),
    );
  });
});
