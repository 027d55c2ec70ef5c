import { describe, expect, test } from "bun:test";
import { BadblockReader, badblocksToRanges, formatBadblocks, parseBadblocks, rangesToBadblocks } from "../../src/formats/badblocks.ts";
import { formatTimingLine, parseTiming } from "../../src/formats/timing.ts";

describe("bad-block lists", () => {
  test("the first unparsable line ends the list; blanks before a number are fine", () => {
    expect(parseBadblocks("1\n  7\n9 junk\nx\n12\n").blocks).toEqual([1, 7, 9]);
  });
  test("a decreasing number is reported where it occurs", () => {
    expect(parseBadblocks("5\n2\n").unsortedAt).toBe(1);
    expect(parseBadblocks("2\n2\n5\n").unsortedAt).toBeNull();
  });
  test("lines are read 63 characters at a time, like safecopy's 64-byte fgets", () => {
    const long = `${"1".padStart(70, " ")}\n3\n`;
    const r = new BadblockReader(long);
    expect(r.next()).toBeNull(); // 63 blanks: no number in the first piece
  });
  test("format and round trips with byte ranges", () => {
    expect(formatBadblocks([3, 4, 9])).toBe("3\n4\n9\n");
    expect(badblocksToRanges([3, 4, 9], 512)).toEqual([[1536, 2560], [4608, 5120]]);
    expect(rangesToBadblocks([[1536, 2560], [4608, 4609]], 512)).toEqual([3, 4, 9]);
    expect(rangesToBadblocks([[0, 700], [600, 1500]], 512)).toEqual([0, 1, 2]);
  });
});

describe("timing file", () => {
  test("safecopy's %010llu %lu %lli layout", () => {
    expect(formatTimingLine({ block: 3, micros: 17, result: -1 })).toBe("0000000003 17 -1\n");
    expect(parseTiming("0000000003 17 -1\nbad\n0000000004 5 1024\n")).toEqual([{ block: 3, micros: 17, result: -1 }, { block: 4, micros: 5, result: 1024 }]);
  });
});
