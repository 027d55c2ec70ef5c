// A larger image of our own: many deleted files of known content (scripts/make-ffs-fixture.ts,
// Debian makefs + TSK only; recorded in makefs-cases.ts, and built live too when makefs and
// TSK are installed). Measures how many come back whole from `salvage undelete`.
import { describe, expect, test } from "bun:test";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { peer, usesLivePeer } from "../helpers/needs.ts";
import { noMakefs, noTsk, salvage, scratchDir } from "./fixtures.ts";
import { buildMany, manyDeletedRecipe, MANY, recordedMany, type ManyDeleted, type Order } from "./makefs-cases.ts";

const recording = loadOracle<ManyDeleted>(manyDeletedRecipe.name);
const live = !noMakefs && !noTsk;
if (live) usesLivePeer("makefs");

for (const source of live ? (["recorded", "live"] as const) : (["recorded"] as const)) {
  describe(`many deleted files (${source} makefs image)`, () => {
    for (const order of ["le", "be"] as const) {
      test(`UFS1 ${order}: ${MANY.count} deleted files; every fragment of their text is in a piece, and how many come back whole`, () => {
        const dir = join(scratchDir(), `many-${order}-${source}`);
        const { image, files, namesBefore } = source === "live" ? buildMany(dir, order as Order, peer("fls")!) : recordedMany(recorded(recording, manyDeletedRecipe.name, order));
        const out = join(dir, "out");
        const r = salvage(["undelete", "--classic", image, out]);
        expect(r.code).toBe(0);
        const pieces = new Map<string, string>();
        for (const p of readdirSync(out)) if (p.startsWith("piece")) pieces.set(readFileSync(join(out, p), "latin1"), p);
        const all = [...pieces.keys()].join("\u0000");
        // Nothing is lost: every whole fragment of every deleted file is inside some piece.
        let chunks = 0;
        for (const f of files) {
          for (let at = 0; at + 1024 <= f.text.length; at += 1024, chunks++) expect(all.includes(f.text.slice(at, at + 1024))).toBe(true);
        }
        expect(chunks).toBeGreaterThan(500);
        const whole = files.filter((f) => pieces.has(f.text));
        const complete = whole.filter((f) => !pieces.get(f.text)!.endsWith("p"));
        // FFS puts a file's last partial block in fragments elsewhere, so a file whose full
        // blocks are followed by another file's text joins it: whole files are the minority.
        console.log(`many-deleted ${order} (${source}): ${whole.length}/${files.length} deleted files came back whole, ${complete.length} of them marked complete; ${pieces.size} pieces`);
        expect(whole.length).toBeGreaterThan(0);
        expect(complete.length).toBe(whole.length);
        // The default reassembly joins bodies to their tails and cuts between bodies.
        const re = join(dir, "reassembled");
        expect(salvage(["undelete", image, re]).code).toBe(0);
        const rebuilt = new Set(readdirSync(re).filter((p) => p.startsWith("piece")).map((p) => readFileSync(join(re, p), "latin1")));
        const wholeNow = files.filter((f) => rebuilt.has(f.text)).length;
        console.log(`many-deleted ${order} (${source}): ${wholeNow}/${files.length} whole with the default reassembly`);
        expect(wholeNow).toBeGreaterThanOrEqual(Math.ceil(0.9 * files.length));
        // The deleted src/ directory's block is free in B: its names come back with their
        // inode numbers, exactly as TSK lists them in the image made before deletion (A).
        expect(namesBefore.length).toBe(MANY.count);
        const report = readFileSync(join(out, "report.txt"), "utf8");
        expect(report).toContain(`# names in free directory blocks (${MANY.count})`);
        for (const line of namesBefore) expect(report).toContain(line + ", entry at byte ");
      });
    }
  });
}
