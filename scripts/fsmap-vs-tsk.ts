// A wider check than the committed fixtures: makes FAT, exFAT and NTFS images over a matrix of
// geometries with the real tools (as root: FUSE and loop devices, as scripts/make-fat-ntfs-fixtures.ts
// does), and compares each used-space map with TSK's `blkls -a -l`, the same way the differential
// test does (test/fsmap/oracle-cases.ts sideBySide). Prints one line per image; exit 1 on a
// difference. Nothing is committed from it: it is how the parsers were checked beyond the fixtures.
//   bun scripts/fsmap-vs-tsk.ts
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeExfat, makeFat, makeNtfs } from "./make-fat-ntfs-fixtures.ts";
import { listedAllocated, sideBySide, tskLayout, type TskLayout } from "../test/fsmap/oracle-cases.ts";
import { filesystemParsers } from "../src/fsmap/registry.ts";
import type { ReadBytes } from "../src/fsmap/types.ts";

type Case = { kind: "fat" | "exfat" | "ntfs"; make: (img: string, work: string) => string };

const cases: Case[] = [
  ...[["-F", "12", "-s", "2"], ["-F", "12", "-r", "512"], ["-F", "16", "-s", "16"], ["-F", "16", "-S", "2048", "-s", "2", "-f", "1"], ["-F", "32", "-s", "8"], ["-F", "32", "-S", "4096", "-s", "1"], ["-F", "32", "-s", "1", "-f", "1"]].map(
    (o, i): Case => {
      const kib = o[1] === "12" ? 4000 : o[1] === "16" ? 100_000 : 300_000;
      // About 60 files: a FAT12/16 root directory holds 512 at most.
      return { kind: "fat", make: (img, work) => makeFat(img, work, o, kib, 100 + i, kib * 10) };
    },
  ),
  ...[["-c", "1024"], ["-c", "65536"], ["-b", "4M"], ["-c", "128K"]].map((o): Case => ({ kind: "exfat", make: (img, work) => makeExfat(img, work, 40, o, 150_000) })),
  ...[["-s", "4096", "-c", "65536"], ["-c", "1024"], ["-c", "2048"], ["-s", "1024", "-c", "8192"], ["-c", "16384"]].map((o): Case => ({ kind: "ntfs", make: (img, work) => makeNtfs(img, work, 24, o, 150_000) })),
];

const out = (cmd: string[]) => Bun.spawnSync(cmd, { stdin: "ignore" }).stdout.toString();

/** exFAT: the layout from dump.exfat (TSK's fsstat takes minutes on small clusters). */
function exfatLayout(img: string): TskLayout {
  const d = out(["dump.exfat", img]);
  const num = (re: RegExp) => Number(re.exec(d)![1]);
  return { sector: 2 ** num(/Sector Size Bits:\s+(\d+)/), areaStart: num(/Cluster Heap Offset \(sector offset\):\s+(\d+)/), bad: new Set() };
}

const work = mkdtempSync(join(tmpdir(), "salvage-fsmap-tsk-"));
let differences = 0;
try {
  for (const c of cases) {
    const img = join(work, "image");
    rmSync(img, { force: true });
    const how = c.make(img, work);
    const fd = openSync(img, "r");
    const size = fstatSync(fd).size;
    const read: ReadBytes = (o, l) => {
      if (o + l > size) return null;
      const b = new Uint8Array(l);
      return readSync(fd, b, 0, l, o) === l ? b : null;
    };
    const volume = { start: 0, length: size, label: "whole disk" };
    const map = filesystemParsers.find((p) => p.detect(read, volume))!.usedSpace(read, volume);
    closeSync(fd);
    const allocated = listedAllocated(out(["blkls", "-a", "-l", "-f", map.filesystem, img]));
    const layout = c.kind === "ntfs" ? null : c.kind === "exfat" ? exfatLayout(img) : tskLayout(out(["fsstat", "-f", map.filesystem, img]));
    const lastCluster = c.kind === "ntfs" ? Number(/Total Cluster Range: 0 - (\d+)/.exec(out(["fsstat", "-f", "ntfs", img]))![1]) : Infinity;
    const s = sideBySide(map, allocated, layout, lastCluster);
    const same = s.ours.length === s.tsk.length && s.ours.every((u, i) => u === s.tsk[i]) && s.metadataOutside.length === 0;
    if (!same) differences++;
    console.log(`${same ? "same" : "DIFFERENT"}  ${map.filesystem}, ${map.unit}-byte clusters, ${s.tsk.length} allocated units: ${how}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(differences ? 1 : 0);
