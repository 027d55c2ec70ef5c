// The built-in demo: build salvage, make a simulated failing disk, and get its data back
// twice — with the ddrescue-style `rescue` (mapfile + picture) and the safecopy-compatible
// `copy` — then score both against the original. Everything lands in build/demo/.
//
//   npm run demo
import { $ } from "bun";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const work = join(root, "build/demo");
const salvage = join(root, "dist/salvage");

function step(title: string): void {
  console.log(`\n=== ${title}`);
}

step("build dist/salvage");
await $`bun ${join(root, "scripts/build.ts")}`;
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
$.cwd(work);

step("a 64 MiB disk with scattered and clustered bad, weak and slow sectors");
await $`${salvage} simulate make disk.img --size 64MiB --pattern mix --seed 1`;
await $`${salvage} info disk.img`;

step("salvage rescue: good data first, then trim, scrape and 3 retries; a ddrescue mapfile");
// Exit status 1 is expected: some sectors are unreadable for good.
await $`${salvage} simulate --image disk.img --damage disk.img.damage --stats rescue-stats.json -- ${salvage} rescue --retries 3 disk.img rescued.img rescued.map`.nothrow();
await $`${salvage} map show rescued.map --svg rescued.svg`;
console.log(`picture of the map: ${join(work, "rescued.svg")}`);

step("score: what came back, what was missed, and (never) wrong bytes");
await $`${salvage} simulate score disk.img disk.img.damage rescued.img`;

step("the same disk through the safecopy-compatible mode (`salvage copy`, safecopy's default options)");
await $`${salvage} simulate --image disk.img --damage disk.img.damage -- ${salvage} copy disk.img copied.img`.quiet().nothrow();
await $`${salvage} simulate score disk.img disk.img.damage copied.img`;

console.log(`\nEverything is in ${work}. Try: ${salvage} --help`);
