// `getfree --keep-uniform` looks at no byte, so the kernel copies the free fragments
// (sendfile) instead of reading them into our memory and writing them out again. Whatever
// copies them, the output is blkls's (recording): into a file, into a pipe, and when the
// copy is refused or cut short and the walk reads the fragments itself.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ByteWriter } from "../../src/carve/byte-writer.ts";
import { walkFree, type FreeSink } from "../../src/ffs/free-walk.ts";
import { findSuperblock } from "../../src/ffs/superblock.ts";
import { FileSource } from "../../src/io/file-source.ts";
import type { Source } from "../../src/io/source.ts";
import { runBinary, salvageBinary } from "../helpers/binary.ts";
import { missing, peer, skipBecause } from "../helpers/needs.ts";
import { digest, loadOracle, recorded } from "../helpers/oracle.ts";
import { fixturePath, salvage, scratchDir } from "./fixtures.ts";
import { tskFixtures, tskRecipe } from "./tsk-cases.ts";

const recording = loadOracle<string>(tskRecipe.name);
const blkls = (name: string) => recorded(recording, tskRecipe.name, `blkls ${name}`);
const cases = tskFixtures.slice(0, 3);

/** walkFree with uniform fragments kept into a file; `copy` as the sink's copy (or none). */
function walkToFile(src: Source, path: string, copy?: (out: ByteWriter, frag: number, count: number, fsize: number) => number): Uint8Array {
  const sb = findSuperblock(src, 0);
  const fsize = sb.raw.fsize;
  const out = new ByteWriter(path);
  const sink: FreeSink = {
    fragments: (buf, count) => out.write(buf.subarray(0, count * fsize)),
    unreadable: () => {},
    groupError: () => {},
  };
  if (copy) sink.copy = (frag, count) => copy(out, frag, count, fsize);
  walkFree(src, sb, sink, { keepUniform: true });
  out.finish();
  return new Uint8Array(readFileSync(path));
}

describe("getfree --keep-uniform: the kernel copies", () => {
  for (const f of cases) {
    test(`${f.name}: into a file (-o) and into a pipe, the bytes of blkls`, () => {
      const img = fixturePath(f.name);
      const file = join(scratchDir(), `${f.name}.copy-o`);
      expect(salvage(["getfree", "--keep-uniform", img, "-o", file]).code).toBe(0);
      expect(digest(new Uint8Array(readFileSync(file)))).toBe(blkls(f.name));
      const piped = salvage(["getfree", "--keep-uniform", img]);
      expect(piped.code).toBe(0);
      expect(digest(piped.stdout)).toBe(blkls(f.name));
    });
  }

  test.skipIf(skipBecause(missing("strace")))("sendfile moves the fragments; reads are only for the filesystem's structures", () => {
    const img = fixturePath(cases[0]!.name);
    const log = join(scratchDir(), "getfree-copy.trace");
    const r = runBinary([peer("strace")!, "-f", "-o", log, "-e", "trace=sendfile,pread64", salvageBinary(), "getfree", "--keep-uniform", img, "-o", join(scratchDir(), "copy-traced")]);
    expect(r.code).toBe(0);
    const trace = readFileSync(log, "utf8").split("\n");
    const sent = trace.filter((l) => /sendfile\(/.test(l)).map((l) => Number(/= (\d+)$/.exec(l)?.[1] ?? 0));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(readFileSync(join(scratchDir(), "copy-traced")).length);
  });

  test("the walk's own reads give the same bytes: copy refused, copy cut short, no copy at all", () => {
    const f = cases[0]!;
    const src = new FileSource(fixturePath(f.name));
    try {
      const dir = scratchDir();
      const kernel = walkToFile(src, join(dir, "k"), (out, frag, count, fsize) => out.copyFrom(src, count * fsize, frag * fsize) / fsize);
      let asked = 0;
      const refused = walkToFile(src, join(dir, "r"), () => (asked++, -1));
      expect(asked).toBe(1); // refused once, never asked again
      // Half of each request copied; the walk reads the other half.
      const half = walkToFile(src, join(dir, "h"), (out, frag, count, fsize) => {
        const n = Math.floor(count / 2);
        return n === 0 ? 0 : out.copyFrom(src, n * fsize, frag * fsize) / fsize;
      });
      const none = walkToFile(src, join(dir, "n"));
      for (const bytes of [kernel, refused, half, none]) expect(digest(bytes)).toBe(blkls(f.name));
    } finally {
      src.close();
    }
  });
});
