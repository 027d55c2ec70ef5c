// What blkid (util-linux) says is in each partition of gpt-filesystems.img (one filesystem per
// partition, each made by its own mkfs: scripts/make-partition-fixtures.ts): TYPE and VERSION,
// probed at the partition's offset and size. Shared by fs-names.test.ts and record-oracles.ts.
import type { Recipe } from "../helpers/oracle.ts";
import { mkfsPartitions } from "../../scripts/make-partition-fixtures.ts";
import { diskPath } from "./fixtures.ts";

export const filesystemsDisk = "gpt-filesystems.img";

/** Each partition's name (the filesystem the script made there), byte offset and length. */
export const fsPartitions = (() => {
  let lba = 2048;
  return mkfsPartitions.map(([name, mib]) => {
    const p = { name, start: lba * 512, length: mib << 20 };
    lba += mib * 2048;
    return p;
  });
})();

export const fsNamesRecipe: Recipe<string> = {
  name: "partitions/fs-names",
  tools: ["blkid"],
  keys: fsPartitions.map((p) => `blkid -p -O ${p.start} -S ${p.length} ${filesystemsDisk}`),
  run(key, t) {
    const [, start, length] = /-O (\d+) -S (\d+)/.exec(key)!;
    const r = Bun.spawnSync([t.blkid!, "-p", "-o", "export", "-O", start!, "-S", length!, diskPath(filesystemsDisk)], { stdin: "ignore", stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`${key}: exit ${r.exitCode}: ${r.stderr}`);
    // TYPE and VERSION only: UUIDs and the device path are not what is compared.
    return r.stdout.toString().split("\n").filter((l) => /^(TYPE|VERSION)=/.test(l)).sort().join("\n");
  },
};
