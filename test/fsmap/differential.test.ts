// The used-space maps of the FAT12/16/32, exFAT and NTFS fixtures against what the real tools
// say: TSK's `blkls -a -l` allocated units, and the filesystems' own tools (fsck.fat, minfo,
// dump.exfat, ntfsinfo, ntfscluster). Always against the recordings
// (test/fixtures/oracles/{sleuthkit,dosfstools,exfatprogs,ntfs-3g}/fsmap-*.json), and against the
// live tools too when they are installed.
//
// Two systematic differences, both documented where the parsers decide them:
//  - TSK lists FAT and exFAT allocation in sectors, and counts every sector before the first
//    cluster (reserved area, FATs, alignment gaps, FAT12/16 root directory) as allocated; our
//    metadata names only the structures in there, so the comparison adds that whole area.
//  - TSK and fsck.fat count clusters the FAT marks bad as allocated; salvage leaves them out
//    of `used` (src/fsmap/fat/parser.ts), so their sectors (fsstat's "Bad Sectors") are removed.
import { describe, expect, test } from "bun:test";
import { loadOracle, recorded, type Recipe, type Recording } from "../helpers/oracle.ts";
import { missing, usesLivePeer, peer } from "../helpers/needs.ts";
import { fromRanges } from "../ffs/tsk-cases.ts";
import { rangeBytes } from "../../src/fsmap/ranges.ts";
import type { UsedSpace } from "../../src/fsmap/types.ts";
import { fsFixtureBytes, fsFixtures, memoryRead, usedSpaceOf, wholeDisk, type FsFixture } from "./fixtures.ts";
import * as cases from "./oracle-cases.ts";

/** The recipe's outputs for a key: the recording, and the live tool's when it is installed. */
function outputs(recipe: Recipe<string>, key: string): string[] {
  const rec: Recording<string> = loadOracle<string>(recipe.name);
  const out = [recorded(rec, recipe.name, key)];
  if (!missing(...recipe.tools)) {
    usesLivePeer(recipe.tools.join(", "));
    const tools = Object.fromEntries(recipe.tools.map((t) => [t, peer(t)!]));
    out.push(recipe.run(key, tools) as string);
  }
  return out;
}

const maps = new Map<string, UsedSpace>();
function mapOf(f: FsFixture): UsedSpace {
  let m = maps.get(f.name);
  if (!m) {
    const img = fsFixtureBytes(f);
    m = usedSpaceOf(memoryRead(img), wholeDisk(img));
    maps.set(f.name, m);
  }
  return m;
}

const field = (text: string, re: RegExp) => {
  const m = re.exec(text);
  if (!m) throw new Error(`no ${re} in the tool's output`);
  return Number(m[1]);
};

describe("used space vs TSK blkls -a -l", () => {
  for (const f of fsFixtures) {
    test(`${f.name}: the allocated ${f.dir === "ntfs" ? "clusters" : "sectors"} are TSK's`, () => {
      const map = mapOf(f);
      expect(map.filesystem).toBe(f.filesystem);
      expect(map.unknown).toEqual([]);
      for (const [listing, fsstat] of zip(outputs(cases.tskFsRecipe, cases.blklsKey(f)), outputs(cases.tskFsRecipe, cases.fsstatKey(f)))) {
        const allocated = fromRanges(listing);
        expect(allocated.length).toBeGreaterThan(100);
        const layout = f.dir === "ntfs" ? null : cases.tskLayout(fsstat);
        if (f.name === "fat16") expect(layout!.bad.size).toBe(8); // the fixture's two bad clusters
        const lastCluster = f.dir === "ntfs" ? field(fsstat, /Total Cluster Range: 0 - (\d+)/) : Infinity;
        const { ours, tsk, metadataOutside } = cases.sideBySide(map, allocated, layout, lastCluster);
        expect(ours).toEqual(tsk);
        // Every metadata unit is allocated for TSK too (FAT32 and exFAT keep some in clusters).
        expect(metadataOutside).toEqual([]);
        if (f.dir === "fat") expect(dataAreaStart(map)).toBe(layout!.areaStart * layout!.sector);
      }
    });
  }
});

/** FAT: the first metadata range is everything before the data area; on FAT32 it runs on
 *  into the root directory when that starts at the first cluster (as mkfs.fat puts it). */
function dataAreaStart(map: UsedSpace): number {
  const first = map.metadata[0]!;
  expect(first.start).toBe(0);
  if (map.filesystem !== "fat32") return first.length;
  return first.length - (map.used[0]!.start === first.length - map.unit ? map.unit : 0);
}

function zip<A, B>(a: A[], b: B[]): Array<[A, B]> {
  return a.slice(0, Math.min(a.length, b.length)).map((x, i) => [x, b[i]!]);
}

describe("FAT: fsck.fat -v -n and minfo", () => {
  for (const f of fsFixtures.filter((x) => x.dir === "fat")) {
    test(`${f.name}: cluster size, data area and used clusters agree`, () => {
      const map = mapOf(f);
      const fsstat = outputs(cases.tskFsRecipe, cases.fsstatKey(f))[0]!;
      const badBytes = (/Bad Sectors: ([\d ]+)/.exec(fsstat)?.[1] ?? "").trim().split(/\s+/).filter(Boolean).length * field(fsstat, /Sector Size: (\d+)/);
      for (const text of outputs(cases.dosfstoolsRecipe, cases.fsckKey(f))) {
        expect(field(text, /(\d+) bytes per cluster/)).toBe(map.unit);
        expect(field(text, /Data area starts at byte (\d+)/)).toBe(dataAreaStart(map));
        // fsck.fat's "used" count includes the bad clusters, as TSK's does.
        const usedByFsck = field(text, /files, (\d+)\/\d+ clusters/);
        expect((rangeBytes(map.used) + badBytes) / map.unit).toBe(usedByFsck);
      }
      for (const text of outputs(cases.dosfstoolsRecipe, cases.minfoKey(f))) {
        expect(field(text, /cluster size: (\d+) sectors/) * field(text, /sector size: (\d+) bytes/)).toBe(map.unit);
      }
    });
  }
});

describe("exFAT: dump.exfat", () => {
  for (const f of fsFixtures.filter((x) => x.dir === "exfat")) test(`${f.name}: used clusters, and the bitmap, up-case table and root directory are metadata`, () => {
    const map = mapOf(f);
    for (const text of outputs(cases.exfatprogsRecipe, cases.dumpExfatKey(f))) {
      expect(field(text, /Cluster size:\s+(\d+)/)).toBe(map.unit);
      expect(field(text, /Total Clusters:\s+(\d+)/) - field(text, /Free Clusters:\s+(\d+)/)).toBe(rangeBytes(map.used) / map.unit);
      const sector = 2 ** field(text, /Sector Size Bits:\s+(\d+)/);
      const heap = field(text, /Cluster Heap Offset \(sector offset\):\s+(\d+)/) * sector;
      const fat = field(text, /FAT Offset\(sector offset\):\s+(\d+)/) * sector;
      const inMetadata = (offset: number) => map.metadata.some((r) => offset >= r.start && offset < r.start + r.length);
      for (const re of [/Bitmap start cluster:\s+(\d+)/, /Upcase table start cluster:\s+(\d+)/, /Root Cluster \(cluster offset\):\s+(\d+)/]) {
        expect(inMetadata(heap + (field(text, re) - 2) * map.unit)).toBe(true);
      }
      expect(inMetadata(fat)).toBe(true);
      expect(inMetadata(0) && inMetadata(12 * sector)).toBe(true); // both boot regions
    }
  });
});

describe("NTFS: ntfsinfo -m and ntfscluster -i", () => {
  for (const f of fsFixtures.filter((x) => x.dir === "ntfs")) test(`${f.name}: cluster size, free space, and the MFT and its mirror are metadata`, () => {
    const map = mapOf(f);
    const infos = outputs(cases.ntfs3gRecipe, cases.ntfsinfoKey(f));
    const clusters = infos.map((t) => field(t, /Volume Size in Clusters: (\d+)/));
    for (const text of infos) {
      expect(field(text, /Cluster Size: (\d+)/)).toBe(map.unit);
      const inMetadata = (cluster: number) => map.metadata.some((r) => cluster * map.unit >= r.start && cluster * map.unit < r.start + r.length);
      expect(inMetadata(field(text, /LCN of Data Attribute for FILE_MFT: (\d+)/))).toBe(true);
      expect(inMetadata(field(text, /LCN of Data Attribute for File_MFTMirr: (\d+)/))).toBe(true);
    }
    for (const text of outputs(cases.ntfs3gRecipe, cases.ntfsclusterKey(f))) {
      expect(field(text, /bytes of free space\s+: (\d+)/)).toBe(clusters[0]! * map.unit - rangeBytes(map.used));
    }
  });
});
