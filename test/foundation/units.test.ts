import { describe, expect, test } from "bun:test";
import { humanBytes, NumberSyntaxError, parseDdrescueNumber, parseInterval, parseSize } from "../../src/util/units.ts";

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

describe("ddrescue's numbers and intervals (the same answers as ddrescue 1.27: test/rescue/ddrescue-options.test.ts)", () => {
  test("k M G are powers of 1000, Ki Mi Gi of 1024, s is sectors, 0x hex and 0 octal work", () => {
    expect(parseDdrescueNumber("1M")).toBe(1_000_000);
    expect(parseDdrescueNumber("1MB")).toBe(1_000_000);
    expect(parseDdrescueNumber("1Mi")).toBe(1 << 20);
    expect(parseDdrescueNumber("64KiB")).toBe(65536);
    expect(parseDdrescueNumber("4096s")).toBe(4096 * 512);
    expect(parseDdrescueNumber("8s", 4096)).toBe(32768);
    expect(parseDdrescueNumber("1ks")).toBe(512_000);
    expect(parseDdrescueNumber("0x100000")).toBe(1 << 20);
    expect(parseDdrescueNumber("010")).toBe(8);
  });
  test("the spellings ddrescue refuses are refused; s only where sectors make sense", () => {
    for (const bad of ["1K", "1kib", "1.5M", "1e3", "08", "1sB", "5 ", "0x", ""]) expect(() => parseDdrescueNumber(bad)).toThrow(NumberSyntaxError);
    expect(() => parseDdrescueNumber("8s", null)).toThrow(NumberSyntaxError);
    expect(() => parseDdrescueNumber("99999Ei")).toThrow("too large");
  });
  test("intervals: units s m h d, fractions giving whole seconds", () => {
    expect(parseInterval("1/2h")).toBe(1800);
    expect(parseInterval("1.5m")).toBe(90);
    expect(parseInterval("2d")).toBe(172800);
    expect(parseInterval("0.01h")).toBe(36);
    for (const bad of ["1.5", "1/2", "1/7m", "1/0", "-1", "1x", "0x10"]) expect(() => parseInterval(bad)).toThrow(NumberSyntaxError);
    expect(parseInterval("0.05", true)).toBe(0.05);
  });
});
