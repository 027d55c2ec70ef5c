// The built-in demo: build salvage, make a small disk image, and show what salvage sees.
// Later areas extend it (simulated damage, rescue, map picture).
//
//   npm run demo
import { $ } from "bun";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const work = join(root, "build/demo");
const salvage = join(root, "dist/salvage");

function step(title: string): void {
  console.log(`\n=== ${title}`);
}

step("build");
await $`bun ${join(root, "scripts/build.ts")}`;
mkdirSync(work, { recursive: true });

step("a 16 MiB demo disk image");
const image = join(work, "disk.img");
const data = new Uint8Array(16 << 20);
for (let i = 0; i < data.length; i++) data[i] = (i * 131 + (i >> 9)) % 251 + 1;
writeFileSync(image, data);
await $`${salvage} info ${image}`;

step("the same as JSON, for scripts");
await $`${salvage} info --json ${image}`;
