import { describe, expect, test } from "bun:test";
import { humanBytes, parseSize } from "../../src/util/units.ts";

describe("sizes", () => {
  test("a bare number is bytes", () => {
    expect(parseSize("4096")).toBe(4096);
    expect(parseSize("0")).toBe(0);
    expect(parseSize("512B")).toBe(512);
  });
  test("suffixes are binary multiples, with or without i/B", () => {
    expect(parseSize("64MiB")).toBe(64 * 1024 * 1024);
    expect(parseSize("1G")).toBe(1024 ** 3);
    expect(parseSize("512k")).toBe(512 * 1024);
    expect(parseSize("2KB")).toBe(2048);
    expect(parseSize("1.5M")).toBe(1572864);
  });
  test("nonsense is refused", () => {
    expect(() => parseSize("12x")).toThrow("not a size");
    expect(() => parseSize("")).toThrow();
    expect(() => parseSize("-5")).toThrow();
    expect(() => parseSize("99999999P")).toThrow("too large");
  });
  test("human-readable output", () => {
    expect(humanBytes(583)).toBe("583 B");
    expect(humanBytes(16 * 1024 * 1024)).toBe("16.0 MiB");
    expect(humanBytes(1536)).toBe("1.50 KiB");
  });
});
