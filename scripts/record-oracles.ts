// Records what the REAL peer tools produce for the differential tests, into
// test/fixtures/oracles/NAME.json, noting the tool's version and the machine:
//   bun scripts/record-oracles.ts            # every recipe whose tools are installed (root-only ones as root)
//   bun scripts/record-oracles.ts NAME...    # e.g. safecopy/differential
//   bun scripts/record-oracles.ts --list
// A recipe runs only the real tools (never salvage in the tool's place); the tests then
// compare salvage with these recordings, and with the live tools when they are installed.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { oraclesDir, type Provenance, type Recipe } from "../test/helpers/oracle.ts";
import { optionalTools, peer } from "../test/helpers/needs.ts";
import { recipes } from "../test/oracles.ts";

/** "safecopy 1.7-7 (Debian package safecopy)", from dpkg when it knows the tool. */
function version(tool: string): string {
  const pkg = optionalTools[tool] ?? tool;
  const r = Bun.spawnSync(["dpkg-query", "-W", "-f", "${Version}", pkg], { stderr: "ignore" });
  const v = r.exitCode === 0 ? r.stdout.toString().trim() : "";
  return v ? `${tool} ${v} (Debian package ${pkg})` : `${tool} (version unknown: not a Debian package here)`;
}

function machine(): string {
  let os: string = process.platform;
  try {
    os = /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? os;
  } catch {}
  return `${os}, ${process.arch}, uid ${process.getuid?.()}`;
}

async function record(recipe: Recipe<unknown>): Promise<void> {
  if (recipe.needsRoot && process.getuid?.() !== 0) throw new Error(`${recipe.name}: recording needs root (loop devices, tmpfs mounts)`);
  const tools: Record<string, string> = {};
  for (const t of recipe.tools) {
    const p = peer(t);
    if (!p) throw new Error(`${recipe.name}: ${t} is not installed (Debian ${optionalTools[t] ?? t}); nothing recorded`);
    tools[t] = p;
  }
  const provenance: Provenance = {
    recordedWith: recipe.tools.map(version).join(", "),
    recordedOn: machine(),
    date: new Date().toISOString().slice(0, 10),
    script: `bun scripts/record-oracles.ts ${recipe.name}`,
  };
  const cases: Record<string, unknown> = {};
  for (const key of recipe.keys) cases[key] = await recipe.run(key, tools);
  const path = join(oraclesDir, `${recipe.name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ provenance, cases }, null, 1) + "\n");
  console.log(`${path}: ${recipe.keys.length} cases, ${provenance.recordedWith}`);
}

const args = process.argv.slice(2);
if (args[0] === "--list") {
  for (const r of recipes) console.log(`${r.name}  (${r.tools.join(", ")})`);
} else {
  const chosen = args.length ? args.map((n) => recipes.find((r) => r.name === n) ?? (() => { throw new Error(`no recipe ${n} (--list)`); })()) : recipes.filter((r) => r.tools.every((t) => peer(t)) && (!r.needsRoot || process.getuid?.() === 0));
  for (const r of chosen) await record(r);
}
