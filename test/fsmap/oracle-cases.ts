// What the filesystems' own tools and The Sleuth Kit say about the test/fixtures/fsmap images,
// shared by the differential test and scripts/record-oracles.ts:
//   TSK `blkls -a -l` (allocated units: sectors for FAT and exFAT, clusters for NTFS) as ranges,
//   and `fsstat` text; `fsck.fat -v -n` and `minfo` text for FAT; `dump.exfat` text for exFAT;
//   `ntfsinfo -m` and `ntfscluster -i` text for NTFS.
import type { Recipe } from "../helpers/oracle.ts";
import { toRanges } from "../ffs/tsk-cases.ts";
import { unionRanges } from "../../src/fsmap/ranges.ts";
import type { UsedSpace } from "../../src/fsmap/types.ts";
import { fsFixturePath, fsFixtures, unitsOf, type FsFixture } from "./fixtures.ts";

function tool(path: string, args: string[], env: Record<string, string> = {}): string {
  const r = Bun.spawnSync([path, ...args], { stdin: "ignore", stderr: "pipe", env: { ...process.env, ...env } });
  // fsck.fat -n exits 1 when it would change something; any other failure is a broken fixture.
  if (r.exitCode !== 0) throw new Error(`${path} ${args.join(" ")}: exit ${r.exitCode} ${r.stderr}`);
  return r.stdout.toString();
}

/** The allocated units a `blkls -a -l` listing names ("N|a" lines). */
export function listedAllocated(text: string): number[] {
  return text.split("\n").filter((l) => /^\d+\|a$/.test(l)).map((l) => Number(l.split("|")[0]));
}

const fixture = (key: string): FsFixture => fsFixtures.find((f) => f.name === key.split(" ").at(-1))!;
const fats = fsFixtures.filter((f) => f.dir === "fat");

export const blklsKey = (f: FsFixture) => `blkls -a -l ${f.name}`;
export const fsstatKey = (f: FsFixture) => `fsstat ${f.name}`;

export const tskFsRecipe: Recipe<string> = {
  name: "sleuthkit/fsmap-fixtures",
  tools: ["blkls", "fsstat"],
  keys: fsFixtures.flatMap((f) => [blklsKey(f), fsstatKey(f)]),
  run(key, t) {
    const f = fixture(key);
    if (key.startsWith("blkls")) return toRanges(listedAllocated(tool(t.blkls!, ["-a", "-l", "-f", f.filesystem, fsFixturePath(f)])));
    return tool(t.fsstat!, ["-f", f.filesystem, fsFixturePath(f)]);
  },
};

export const fsckKey = (f: FsFixture) => `fsck.fat -v -n ${f.name}`;
export const minfoKey = (f: FsFixture) => `minfo ${f.name}`;

export const dosfstoolsRecipe: Recipe<string> = {
  name: "dosfstools/fsmap-fat",
  tools: ["fsck.fat", "minfo"],
  keys: fats.flatMap((f) => [fsckKey(f), minfoKey(f)]),
  run(key, t) {
    const f = fixture(key);
    // The first lines name the image's path, which is a scratch file: keep from the geometry on.
    if (key.startsWith("fsck.fat")) return tool(t["fsck.fat"]!, ["-v", "-n", fsFixturePath(f)]).replace(fsFixturePath(f), `${f.name}.img`);
    return tool(t.minfo!, ["-i", fsFixturePath(f), "::"], { MTOOLS_SKIP_CHECK: "1" }).replaceAll(fsFixturePath(f), `${f.name}.img`);
  },
};

const exfats = fsFixtures.filter((f) => f.dir === "exfat");
const ntfses = fsFixtures.filter((f) => f.dir === "ntfs");
export const dumpExfatKey = (f: FsFixture) => `dump.exfat ${f.name}`;

export const exfatprogsRecipe: Recipe<string> = {
  name: "exfatprogs/fsmap-exfat",
  tools: ["dump.exfat"],
  keys: exfats.map(dumpExfatKey),
  run: (key, t) => tool(t["dump.exfat"]!, [fsFixturePath(fixture(key))]),
};

export const ntfsinfoKey = (f: FsFixture) => `ntfsinfo -m ${f.name}`;
export const ntfsclusterKey = (f: FsFixture) => `ntfscluster -i ${f.name}`;

export const ntfs3gRecipe: Recipe<string> = {
  name: "ntfs-3g/fsmap-ntfs",
  tools: ["ntfsinfo", "ntfscluster"],
  keys: ntfses.flatMap((f) => [ntfsinfoKey(f), ntfsclusterKey(f)]),
  run(key, t) {
    const f = fixture(key);
    const out = key.startsWith("ntfsinfo") ? tool(t.ntfsinfo!, ["-m", fsFixturePath(f)]) : tool(t.ntfscluster!, ["-i", fsFixturePath(f)]);
    return out.replaceAll(fsFixturePath(f), `${f.name}.img`);
  },
};

/** What a FAT or exFAT comparison needs from TSK's fsstat: its sector size, the first sector of
 *  the cluster area, and the sectors of bad clusters. */
export interface TskLayout {
  sector: number;
  areaStart: number;
  bad: Set<number>;
}

export function tskLayout(fsstat: string): TskLayout {
  const num = (re: RegExp) => {
    const m = re.exec(fsstat);
    if (!m) throw new Error(`no ${re} in fsstat's output`);
    return Number(m[1]);
  };
  return {
    sector: num(/Sector Size: (\d+)/),
    areaStart: num(/\*\* Cluster (?:Area|Heap): (\d+) - \d+/),
    bad: new Set((/Bad Sectors: ([\d ]+)/.exec(fsstat)?.[1] ?? "").trim().split(/\s+/).filter(Boolean).map(Number)),
  };
}

/**
 * Our map and TSK's `blkls -a` units side by side, with the two documented differences applied:
 * on FAT and exFAT TSK counts sectors and calls everything before the cluster area allocated
 * (that area is added to ours), and it counts bad clusters as allocated (removed from TSK's). NTFS
 * units are clusters on both sides. `metadataOutside` lists metadata units TSK does not call
 * allocated (none expected; NTFS's backup boot sector past the last cluster is left out).
 */
export function sideBySide(map: UsedSpace, allocated: number[], layout: TskLayout | null, lastCluster = Infinity) {
  const tskSet = new Set(allocated);
  if (!layout) {
    const metadata = unitsOf(map.metadata, map.unit).filter((c) => c <= lastCluster);
    return { ours: unitsOf(map.used, map.unit), tsk: allocated, metadataOutside: metadata.filter((c) => !tskSet.has(c)) };
  }
  const { sector, areaStart, bad } = layout;
  return {
    ours: unitsOf(unionRanges([{ start: 0, length: areaStart * sector }, ...map.used]), sector),
    tsk: allocated.filter((s) => !bad.has(s)),
    metadataOutside: unitsOf(map.metadata, sector).filter((s) => !tskSet.has(s)),
  };
}
