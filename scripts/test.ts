// `npm test`'s last step: runs `bun test` (arguments passed on), then prints a summary:
// how many tests ran, how many were skipped and why (grouped by reason), which recorded
// oracles and fixtures the tests that ran compared with, and which live peers were used.
// Tests give their reasons through test/helpers/needs.ts (skipBecause); a skipped test
// without a reason fails the run, so a skip is never silent.
//   bun scripts/test.ts [bun test arguments...]
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const out = join(root, "build/test-report");
const junit = join(out, "junit.xml");
const log = join(out, "needs.jsonl");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const started = performance.now();
const bun = Bun.spawnSync([process.execPath, "test", "--timeout=60000", "--reporter=junit", `--reporter-outfile=${junit}`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: ["inherit", "inherit", "inherit"],
  env: { ...process.env, SALVAGE_TEST_LOG: log },
});
const seconds = (performance.now() - started) / 1000;

interface Case { file: string; lines: number[]; name: string; status: "passed" | "failed" | "skipped" }
interface Note { kind: "skip" | "inside" | "recording" | "live"; file: string; line: number; text: string }

const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
const attr = (tag: string, name: string) => unescape(new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? "");

/** Test cases of bun's JUnit report, with the lines of their enclosing describe blocks. */
function parseJunit(xml: string): Case[] {
  const cases: Case[] = [];
  const suites: number[] = [];
  let current: Case | null = null;
  for (const m of xml.matchAll(/<(\/?)(testsuite|testcase|skipped|failure|error)\b[^>]*?(\/?)>/g)) {
    const [tag, closing, name, selfClosing] = m;
    if (name === "testsuite") {
      if (closing) suites.pop();
      else if (!selfClosing) suites.push(Number(attr(tag, "line")) || 0);
    } else if (name === "testcase") {
      if (closing) current = null;
      else {
        current = { file: attr(tag, "file"), lines: [Number(attr(tag, "line")), ...suites], name: attr(tag, "name"), status: "passed" };
        cases.push(current);
        if (selfClosing) current = null;
      }
    } else if (current && !closing) current.status = name === "skipped" ? "skipped" : "failed";
  }
  return cases;
}

function readNotes(): Note[] {
  try {
    return readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Note).map((n) => ({ ...n, file: relative(root, n.file) }));
  } catch {
    return [];
  }
}

/** The reason recorded for a skipped test: same file, on the line of the test or a describe around it. */
function reasonFor(c: Case, notes: Note[]): string | null {
  const inFile = notes.filter((n) => n.kind === "skip" && n.file === c.file);
  const exact = inFile.find((n) => c.lines.includes(n.line));
  if (exact) return exact.text;
  const distinct = [...new Set(inFile.map((n) => n.text))];
  if (distinct.length === 1) return distinct[0]!;
  // Several reasons in the file: the nearest one above the test.
  const above = inFile.filter((n) => n.line <= c.lines[0]!).sort((a, b) => b.line - a.line)[0];
  return above?.text ?? null;
}

let xml = "";
try {
  xml = readFileSync(junit, "utf8");
} catch {
  console.error(`\nno test report at ${relative(root, junit)}: bun test ended with ${bun.exitCode}`);
  process.exit(bun.exitCode || 1);
}
const cases = parseJunit(xml);
const notes = readNotes();
const count = (s: Case["status"]) => cases.filter((c) => c.status === s).length;
const ran = cases.filter((c) => c.status !== "skipped");

const line = "─".repeat(78);
console.log(`\n${line}\nTest summary (${seconds.toFixed(0)} s): ${cases.length} tests, ${ran.length} ran (${count("passed")} passed, ${count("failed")} failed), ${count("skipped")} skipped`);

for (const c of cases.filter((x) => x.status === "failed")) console.log(`  FAILED  ${c.file}: ${c.name}`);

const live = [...new Set(notes.filter((n) => n.kind === "live").map((n) => n.text))].sort();
if (process.env.SALVAGE_TEST_NO_PEERS) console.log("Peer tools: hidden (SALVAGE_TEST_NO_PEERS set): every comparison used its recording only");
else console.log(`Peer tools run live beside their recordings: ${live.length ? live.join(", ") : "none installed"}`);

// Recordings and fixtures, with how many tests ran in the files that read them.
const recordings = new Map<string, Set<string>>();
for (const n of notes.filter((x) => x.kind === "recording")) recordings.set(n.text, (recordings.get(n.text) ?? new Set()).add(n.file));
if (recordings.size) {
  console.log("\nRecordings and fixtures compared with (tests that ran in the files using them):");
  for (const [label, files] of [...recordings].sort()) {
    const n = ran.filter((c) => files.has(c.file)).length;
    console.log(`  ${String(n).padStart(4)}  ${label}`);
  }
}

const unexplained: Case[] = [];
const byReason = new Map<string, Case[]>();
for (const c of cases.filter((x) => x.status === "skipped")) {
  const r = reasonFor(c, notes);
  if (r === null) unexplained.push(c);
  else byReason.set(r, [...(byReason.get(r) ?? []), c]);
}
if (byReason.size) {
  console.log("\nSkipped, by reason:");
  for (const [reason, cs] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
    const files = [...new Set(cs.map((c) => c.file))].join(", ");
    console.log(`  ${String(cs.length).padStart(4)}  ${reason}\n        ${files}`);
  }
}
const inside = notes.filter((n) => n.kind === "inside");
if (inside.length) {
  console.log("\nChecks skipped inside tests that count as passed:");
  for (const n of inside) console.log(`        ${n.text}  (${n.file}:${n.line})`);
}
if (unexplained.length) {
  console.log(`\n${unexplained.length} skipped test(s) give no reason: use test.skipIf(skipBecause(reason)) from test/helpers/needs.ts:`);
  for (const c of unexplained.slice(0, 20)) console.log(`        ${c.file}:${c.lines[0]}  ${c.name}`);
}
console.log(line);
process.exit(bun.exitCode || (unexplained.length ? 1 : 0));
