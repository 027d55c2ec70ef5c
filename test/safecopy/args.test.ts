// safecopy's argument parser quirks (reference §1), checked against Debian safecopy's
// behaviour as recorded in the golden runs (r25, r28, r29, r45) and its source.
import { describe, expect, test } from "bun:test";
import { looksLikeInteger, parseArgs, safecopyInteger, tokenize } from "../../src/cli/safecopy/args.ts";
import { parseSizeOption } from "../../src/cli/safecopy/settings.ts";

describe("tokenize", () => {
  test("splits dash arguments at space, '=' and ':' and drops empty pieces", () => {
    expect(tokenize(["-b=2048", "-b:512", "--stage=1", "-M=", "-o a:b"])).toEqual(["-b", "2048", "-b", "512", "--stage", "1", "-M", "-o", "a", "b"]);
  });
  test("never splits arguments that do not start with '-'", () => {
    expect(tokenize(["a=b:c d", "x"])).toEqual(["a=b:c d", "x"]);
  });
});

describe("values", () => {
  test("an option takes the next token unless it starts with '-' and is no integer", () => {
    const p = parseArgs(["-M", "-b", "1024", "-s", "-4", "src", "dst"]);
    expect(p.options.get("-M")).toBeNull();
    expect(p.options.get("-b")).toBe("1024");
    expect(p.options.get("-s")).toBe("-4");
    expect(p.positionals).toEqual(["src", "dst"]);
  });
  test("unknown options are positional, options may follow positionals, the last one wins", () => {
    const p = parseArgs(["-q", "src", "-b", "512", "dst", "-b", "1024", "-o", "x"]);
    expect(p.positionals).toEqual(["-q", "src", "dst"]);
    expect(p.options.get("-b")).toBe("1024");
  });
  test("no abbreviations, no bundling", () => {
    expect(parseArgs(["--sta", "-bR", "a", "b"]).positionals).toEqual(["--sta", "-bR", "a", "b"]);
  });
  test("'-', '--' and '' look like integers", () => {
    expect([looksLikeInteger("-"), looksLikeInteger("--"), looksLikeInteger(""), looksLikeInteger("-12"), looksLikeInteger("1a")]).toEqual([true, true, true, true, false]);
    expect(parseArgs(["-o", "--", "a", "b"]).options.get("-o")).toBe("--");
  });
});

describe("integers", () => {
  test("digits accumulate, spaces are skipped, '-' only as a leading sign, anything else gives 0", () => {
    expect(safecopyInteger("123")).toBe(123);
    expect(safecopyInteger("1 2")).toBe(12);
    expect(safecopyInteger("-5")).toBe(-5);
    expect(safecopyInteger("5-")).toBe(0);
    expect(safecopyInteger("abc")).toBe(0);
    expect(safecopyInteger(null)).toBe(0);
  });
  test("overflow wraps like a 32-bit int", () => {
    expect(safecopyInteger("4294967297")).toBe(1);
    expect(safecopyInteger("2147483648")).toBe(-2147483648);
  });
});

describe("size options (parseoption)", () => {
  // Expected values from r28 (Debian safecopy on a 102400-byte file, st_blksize 4096).
  test("bytes, N% of the file rounded down to the unit, N* units, else the default", () => {
    expect(parseSizeOption("512", 4096, 102400, "1*")).toBe(512);
    expect(parseSizeOption("10%", 4096, 102400, "1*")).toBe(8192);
    expect(parseSizeOption("3*", 4096, 102400, "1*")).toBe(12288);
    expect(parseSizeOption("abc", 4096, 102400, "1*")).toBe(4096);
    expect(parseSizeOption("1.5", 4096, 102400, "1*")).toBe(4096);
    expect(parseSizeOption("1%", 1024, 102400, "16*")).toBe(1024);
    expect(parseSizeOption(null, 1024, 102400, "16*")).toBe(16384);
    expect(parseSizeOption("5%", 1024, 0, "16*")).toBe(5120);
  });
});
