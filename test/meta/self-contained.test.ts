// The suite runs from a fresh clone: nothing it reads lies outside the repository, every
// skip gives a reason (test/helpers/needs.ts), and optional tools are found only through
// peer(), so SALVAGE_TEST_NO_PEERS really hides them.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { optionalTools } from "../helpers/needs.ts";

const root = resolve(import.meta.dir, "../..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "fixtures" || name === "node_modules") continue;
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|sh)$/.test(name)) out.push(p);
  }
  return out;
}

const files = [...sources(join(root, "test")), ...sources(join(root, "scripts"))].filter((f) => !f.endsWith("self-contained.test.ts"));
const offending = (re: RegExp, only: (f: string) => boolean = () => true) =>
  files.filter(only).flatMap((f) => readFileSync(f, "utf8").split("\n").map((l, i) => [f, l, i + 1] as const).filter(([, l]) => re.test(l)).map(([f, l, n]) => `${relative(root, f)}:${n}: ${l.trim()}`));

describe("a fresh clone is enough", () => {
  test("no test or script names a path outside the repository", () => {
    expect(offending(/\/work\/|\.\.\/shared\b|shared\/(fixtures|conformance)/)).toEqual([]);
  });

  test("every skipIf gives its reason through skipBecause()", () => {
    expect(offending(/\.skipIf\((?!skipBecause\()/, (f) => f.endsWith(".test.ts"))).toEqual([]);
  });

  test("optional tools are found through peer(), never by a fixed path or Bun.which", () => {
    const names = Object.keys(optionalTools).map((t) => t.replace(/[.+]/g, "\\$&")).join("|");
    expect(offending(new RegExp(`"/usr/s?bin/(${names})"(?!; // the name the recordings printed)`), (f) => f.includes("/test/"))).toEqual([]);
    expect(offending(new RegExp(`Bun\\.which\\("(${names})"`), (f) => !f.endsWith("needs.ts"))).toEqual([]);
  });
});
