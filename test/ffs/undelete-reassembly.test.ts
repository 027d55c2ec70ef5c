// `undelete` brings back whole files: on a generated image of 50 deleted texts (makefs,
// test/fixtures/undelete/README.txt), scored by the originals' SHA-256 (scripts/score-undelete.ts),
// against the 1990 method (--ascii) on the same image.
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { corpusOf, readPieces, score } from "../../scripts/score-undelete.ts";
import type { Manifest } from "../../scripts/make-undelete-image.ts";
import { sha256 } from "../helpers/oracle.ts";
import { salvage, scratchDir } from "./fixtures.ts";

const dir = resolve(import.meta.dir, "../fixtures/undelete");
const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;

function image(): string {
  const data = Bun.zstdDecompressSync(readFileSync(join(dir, "deleted-texts.img.zst")));
  expect(sha256(data)).toBe("cd5cc6b7cba450f02852da110303082144c8c0ac6e24a3f898effbcd13821f92");
  const p = join(scratchDir(), "deleted-texts.img");
  writeFileSync(p, data);
  return p;
}

describe("undelete reassembly on a generated image", () => {
  const img = image();
  const corpus = corpusOf(manifest);

  test("default (UTF-8, reassembly): every intact deleted text comes back whole, < 1% of bytes wrong-joined", () => {
    const out = join(scratchDir(), "reassembled");
    const r = salvage(["undelete", img, out]);
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    // One message style (issue 12): every line as errors are written, no consola icons.
    const lines = r.stderr.split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toStartWith("salvage: ");
    const s = score(readPieces(out), corpus, manifest);
    console.log(`reassembly: ${s.whole}/${s.files} whole, ${s.intact} intact on disk, ${s.wrongJoinedBytes} of ${s.recoveredBytes} bytes wrong-joined`);
    expect(s.intact).toBe(46);
    expect(s.whole).toBeGreaterThanOrEqual(Math.ceil(0.95 * s.intact));
    expect(s.wrongJoinedBytes).toBeLessThanOrEqual(0.01 * s.recoveredBytes);
    // The report names the joins, and report.json has one entry per recovered file.
    const txt = readFileSync(join(out, "report.txt"), "utf8");
    expect(txt).toMatch(/joined at byte \d+ to fragment \d+ \(tail, score/);
    const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(json.files.length).toBe(readPieces(out).length);
    for (const f of json.files) {
      expect(Object.keys(f)).toEqual(["file", "bytes", "complete", "encoding", "confidence", "fragments", "diskBytes", "joins", "cuts"]);
      expect(readFileSync(join(out, f.file)).length).toBe(f.bytes);
    }
    expect(json.files.some((f: { encoding: string }) => f.encoding === "utf8")).toBe(true);
    expect(json.freeDirectoryNames.length).toBeGreaterThan(0);
  }, 60_000);

  test("--ascii is the 1990 method: fewer whole files, no report.json", () => {
    const out = join(scratchDir(), "classic");
    const r = salvage(["undelete", "--ascii", img, out]);
    expect(r.code).toBe(0);
    const s = score(readPieces(out), corpus, manifest);
    console.log(`--ascii: ${s.whole}/${s.files} whole`);
    expect(s.whole).toBeLessThan(40);
    expect(existsSync(join(out, "report.json"))).toBe(false);
    expect(readFileSync(join(out, "report.txt"), "utf8")).not.toContain("joined at byte");
  }, 60_000);

  test("getfree --index | textpieces --reassemble finds the same files as undelete", () => {
    const d = scratchDir();
    const g = salvage(["getfree", img, "-o", join(d, "free.bin"), "--index", join(d, "free.idx")]);
    expect(g.code).toBe(0);
    mkdirSync(join(d, "tp"));
    const t = salvage(["textpieces", join(d, "tp", "piece"), "--reassemble", "--index", join(d, "free.idx"), "--input", join(d, "free.bin")]);
    expect(t.code).toBe(0);
    expect(new TextDecoder().decode(t.stdout)).toMatch(/^piece0001: complete \d+ bytes in \d+ fragments?, disk fragments /);
    const out = join(d, "same");
    expect(salvage(["undelete", img, out]).code).toBe(0);
    const hashes = (dir: string) => readPieces(dir).map((p) => sha256(p)).sort();
    expect(hashes(join(d, "tp"))).toEqual(hashes(out));
    expect(score(readPieces(join(d, "tp")), corpus, manifest).whole).toBe(46);
  }, 60_000);

  test("bad --encoding, and --separator without --classic, are one-line errors (exit 2)", () => {
    for (const args of [["--encoding", "ebcdic"], ["--separator", "x"], ["--classic", "--encoding", "latin1"]]) {
      const r = salvage(["undelete", img, join(scratchDir(), `bad-${args[0]}-${args.length}`), ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain("    at ");
    }
  }, 60_000);
});
